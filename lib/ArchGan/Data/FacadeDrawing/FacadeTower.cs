using SkiaSharp;
using static ArchGan.Data.FacadeDrawing.FacadePalette;
using static ArchGan.Data.FacadeDrawing.FacadeParts;

namespace ArchGan.Data.FacadeDrawing;

/// <summary>
/// A tall tower: a shaft with string courses and slit windows, a belfry of arched openings, sometimes a clock, and a
/// spire, dome, battlements or flat top with a lantern; often beside a lower church front or hall.
/// </summary>
internal static class FacadeTower
{
    private enum Cap { Spire, Dome, Battlements, Lantern }

    public static void Draw(FacadeCanvas c, FacadeRandom r)
    {
        float gy = r.Range(0.78f, 0.9f);
        var scene = FacadeScenery.Backdrop(c, r, gy, urban: false);
        FacadeScenery.Ground(c, r, scene, urban: r.Chance(0.5f));

        bool brick = r.Chance(0.5f);
        var wall = Jitter(brick ? r.Pick(Brick) : r.Pick(Stone), r, 0.04f);
        var trim = Mix(wall, new SKColor(240, 236, 226), r.Range(0.35f, 0.6f));
        var dark = Shade(wall, 0.3f);
        var cap = (Cap)r.Int(0, 4);

        float tw = r.Range(0.14f, 0.28f);
        float cx = 0.5f + r.Range(-0.18f, 0.18f);
        float capH = cap switch { Cap.Spire => tw * r.Range(1.0f, 2.2f), Cap.Dome => tw * 0.9f, _ => tw * 0.35f };
        float shaftTop = Math.Max(0.04f + capH, r.Range(0.12f, 0.32f));
        float l = cx - tw / 2, rr = cx + tw / 2;

        if (r.Chance(0.7f)) Annex(c, r, cx, tw, gy, scene, cx < 0.5f);

        c.Rect(l, shaftTop, rr, gy, wall);
        // Corner strips (lesene) and a shaded side give the shaft volume.
        float strip = Math.Max(c.Px, tw * 0.1f);
        c.Rect(rr - strip, shaftTop, rr, gy, Shade(wall, 0.8f));
        c.Rect(l, shaftTop, l + strip, gy, Shade(wall, 1.06f));
        int stages = r.Int(3, 6);
        float belfryH = tw * r.Range(0.8f, 1.2f);
        float stageH = (gy - shaftTop - belfryH) / stages;
        for (int s = 1; s <= stages; s++)
        {
            float y = gy - s * stageH;
            c.Crisp(l - 0.004f, y - Math.Max(c.Px, 0.006f), rr + 0.004f, y, trim);
            if (s < stages) c.Crisp(cx - tw * 0.05f, y + stageH * 0.3f, cx + tw * 0.05f, y + stageH * 0.7f, dark);
        }
        float belfryB = shaftTop + belfryH;
        if (r.Chance(0.5f) && stageH > tw * 0.6f)
        {
            float cy = belfryB + stageH / 2, rad = Math.Min(stageH, tw) * 0.32f;
            c.Ellipse(cx, cy, rad, rad, trim);
            c.Ellipse(cx, cy, rad * 0.82f, rad * 0.82f, new SKColor(238, 234, 222));
            float hand = Math.Max(c.Px, rad * 0.12f);
            c.Line(cx, cy, cx, cy - rad * 0.65f, hand, new SKColor(30, 30, 30));
            c.Line(cx, cy, cx + rad * 0.45f, cy + rad * 0.1f, hand, new SKColor(30, 30, 30));
        }
        int openings = tw > 0.2f ? r.Int(2, 4) : r.Int(1, 3);
        float ow = tw / openings * 0.55f;
        for (int i = 0; i < openings; i++)
        {
            float x = BayCentre(l + strip, rr - strip, openings, i);
            c.Arch(x - ow / 2, shaftTop + belfryH * 0.2f, x + ow / 2, belfryB - belfryH * 0.1f, dark);
        }
        c.Rect(l - 0.008f, shaftTop - Math.Max(c.Px * 1.5f, 0.012f), rr + 0.008f, shaftTop, trim);

        var roof = Jitter(r.Chance(0.35f) ? r.Pick(Copper) : r.Pick(Terracotta), r);
        float capBase = shaftTop - Math.Max(c.Px * 1.5f, 0.012f);
        switch (cap)
        {
            case Cap.Spire:
                c.Poly(roof, [l, capBase, rr, capBase, cx, capBase - capH]);
                c.Poly(Shade(roof, 0.78f), [cx, capBase, rr, capBase, cx, capBase - capH]);
                c.Rect(cx - c.Px / 2, capBase - capH - 0.03f, cx + c.Px / 2, capBase - capH, dark);
                break;
            case Cap.Dome:
                float drum = tw * 0.25f;
                c.Rect(l + tw * 0.12f, capBase - drum, rr - tw * 0.12f, capBase, wall);
                c.Arch(l + tw * 0.1f, capBase - drum - tw * 0.4f, rr - tw * 0.1f, capBase - drum + c.Px, roof);
                c.Rect(cx - tw * 0.06f, capBase - drum - tw * 0.4f - tw * 0.2f, cx + tw * 0.06f, capBase - drum - tw * 0.38f, trim);
                break;
            case Cap.Battlements:
                float mh = capH * 0.6f;
                int merlons = Math.Max(3, (int)(tw / 0.035f)) | 1;
                float mw = (tw + 0.016f) / merlons;
                for (int i = 0; i < merlons; i += 2)
                    c.Rect(l - 0.008f + i * mw, capBase - mh, l - 0.008f + (i + 1) * mw, capBase + c.Px, wall);
                break;
            default:
                float lw = tw * 0.45f;
                c.Rect(cx - lw / 2, capBase - capH, cx + lw / 2, capBase, trim);
                c.Arch(cx - lw * 0.2f, capBase - capH * 0.8f, cx + lw * 0.2f, capBase - capH * 0.1f, dark);
                c.Poly(roof, [cx - lw * 0.65f, capBase - capH, cx + lw * 0.65f, capBase - capH, cx, capBase - capH - lw * 0.6f]);
                break;
        }
        c.Arch(cx - tw * 0.16f, gy - stageH * 0.7f, cx + tw * 0.16f, gy, dark);

        if (r.Chance(0.5f))
            FacadeScenery.RoundTree(c, r, cx < 0.5f ? r.Range(0.8f, 0.98f) : r.Range(0.02f, 0.2f), gy + r.Range(0.03f, 0.08f), r.Range(0.2f, 0.35f));
    }

    /// <summary>A lower church front or hall on one side of the tower, so the tower reads as tall by comparison.</summary>
    private static void Annex(FacadeCanvas c, FacadeRandom r, float cx, float tw, float gy, FacadeScene scene, bool toRight)
    {
        var wall = Jitter(r.Chance(0.5f) ? r.Pick(Stucco) : r.Pick(Stone), r, 0.04f);
        var trim = Mix(wall, SKColors.White, 0.4f);
        var roof = Jitter(r.Pick(Terracotta), r);
        float w = r.Range(0.3f, 0.55f), h = r.Range(0.15f, 0.3f);
        float l = toRight ? cx + tw / 2 - 0.01f : cx - tw / 2 - w + 0.01f, rr = l + w, top = gy - h;
        float mid = (l + rr) / 2;
        if (r.Chance(0.6f))
        {
            // Church front: a gable with a rose window over an arched door.
            float gh = w * r.Range(0.2f, 0.35f);
            c.Rect(l, top, rr, gy, wall);
            Pediment(c, l - 0.01f, rr + 0.01f, top + c.Px, gh, trim);
            float rad = Math.Min(w, h) * 0.12f;
            c.Ellipse(mid, top + h * 0.3f, rad, rad, trim);
            c.Ellipse(mid, top + h * 0.3f, rad * 0.75f, rad * 0.75f, r.Pick(WindowGlass));
            Door(c, mid - w * 0.08f, gy - h * 0.45f, mid + w * 0.08f, gy, trim, Shade(wall, 0.35f), arched: true);
        }
        else
        {
            c.Poly(roof, [l - 0.01f, top + c.Px, rr + 0.01f, top + c.Px, rr - 0.03f, top - h * 0.2f, l + 0.03f, top - h * 0.2f]);
            c.Rect(l, top, rr, gy, wall);
            int bays = Math.Max(2, (int)(w / 0.09f));
            var glass = r.Pick(WindowGlass);
            for (int i = 0; i < bays; i++)
            {
                float x = BayCentre(l, rr, bays, i), ww = w / bays * 0.4f;
                Window(c, x - ww / 2, top + h * 0.2f, x + ww / 2, top + h * 0.6f, trim, glass, bars: true, arched: true);
            }
        }
    }
}
