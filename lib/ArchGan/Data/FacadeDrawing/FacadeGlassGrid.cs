using SkiaSharp;
using static ArchGan.Data.FacadeDrawing.FacadePalette;

namespace ArchGan.Data.FacadeDrawing;

/// <summary>
/// A modern office block: glass panes in a regular grid of mullions and floor bands, over a darker lobby, sometimes
/// stepped back near the top, with neighbours behind it and a street in front.
/// </summary>
internal static class FacadeGlassGrid
{
    public static void Draw(FacadeCanvas c, FacadeRandom r)
    {
        float gy = r.Range(0.8f, 0.9f);
        var scene = FacadeScenery.Backdrop(c, r, gy, urban: true);

        // Neighbours first: they stand behind and give the skyline depth.
        int neighbours = r.Int(0, 3);
        for (int i = 0; i < neighbours; i++)
        {
            float w = r.Range(0.2f, 0.45f), x = r.Range(-0.1f, 1.1f);
            float t = r.Range(0.1f, 0.5f);
            var tone = Mix(r.Chance(0.5f) ? r.Pick(Glass) : r.Pick(Stone), scene.SkyBottom, r.Range(0.3f, 0.55f));
            Box(c, r, x - w / 2, t, x + w / 2, gy, tone, Mix(r.Pick(Frame), scene.SkyBottom, 0.4f), scene, lobby: false, faded: true);
        }

        FacadeScenery.Ground(c, r, scene, urban: true);
        FacadeScenery.Street(c, r, gy + r.Range(0.04f, 0.08f));

        float cx = 0.5f + r.Range(-0.12f, 0.12f);
        float width = r.Range(0.38f, 0.8f);
        float top = r.Range(0.05f, 0.45f);
        var glass = Jitter(r.Pick(Glass), r, 0.05f);
        var frame = Jitter(r.Pick(Frame), r, 0.03f);
        if (r.Chance(0.3f) && gy - top > 0.4f)
        {
            // A setback: the upper floors narrower than the podium.
            float split = top + (gy - top) * r.Range(0.3f, 0.6f);
            float narrow = width * r.Range(0.55f, 0.8f);
            Box(c, r, cx - narrow / 2, top, cx + narrow / 2, split + 0.02f, glass, frame, scene, lobby: false, faded: false);
            Box(c, r, cx - width / 2, split, cx + width / 2, gy, glass, frame, scene, lobby: true, faded: false);
        }
        else
        {
            Box(c, r, cx - width / 2, top, cx + width / 2, gy, glass, frame, scene, lobby: true, faded: false);
        }

        if (r.Chance(0.4f))
            for (float x = r.Range(0.02f, 0.15f); x < 1; x += r.Range(0.25f, 0.45f))
                FacadeScenery.RoundTree(c, r, x, gy + 0.035f, r.Range(0.1f, 0.18f));
    }

    private static void Box(FacadeCanvas c, FacadeRandom r, float l, float t, float rr, float b, SKColor glass, SKColor frame,
        FacadeScene scene, bool lobby, bool faded)
    {
        float lobbyH = lobby ? r.Range(0.05f, 0.09f) : 0;
        float floorH = r.Range(0.03f, 0.065f);
        float bayW = r.Range(0.04f, 0.11f);
        int floors = Math.Max(1, (int)((b - lobbyH - t) / floorH));
        floorH = (b - lobbyH - t) / floors;
        int bays = Math.Max(2, (int)MathF.Round((rr - l) / bayW));
        bool ribbon = r.Chance(0.45f);
        float band = ribbon ? floorH * r.Range(0.25f, 0.45f) : Math.Max(c.Px, floorH * r.Range(0.06f, 0.12f));
        float mullion = Math.Max(c.Px, (rr - l) / bays * (ribbon ? 0.05f : r.Range(0.06f, 0.14f)));
        float gt = t, gb = b - lobbyH;

        // Glass reflects more sky high up: a gradient from sky-tinted to the body colour.
        var upper = Mix(glass, scene.SkyBottom, faded ? 0.1f : r.Range(0.2f, 0.45f));
        c.VerticalGradient(l, gt, rr, gb, upper, Shade(glass, 0.8f));
        if (!faded)
        {
            // Individual panes vary a little, as blinds and reflections do.
            for (int f = 0; f < floors; f++)
                for (int i = 0; i < bays; i++)
                    if (r.Chance(0.3f))
                    {
                        float x0 = l + (rr - l) * i / bays, y0 = gt + f * floorH;
                        c.Rect(x0, y0, x0 + (rr - l) / bays, y0 + floorH, WithAlpha(r.Chance(0.5f) ? SKColors.White : SKColors.Black, r.Range(0.05f, 0.18f)));
                    }
            c.Clip(l, gt, rr, gb);
            float d = r.Range(-0.3f, 0.3f), x = r.Range(l, rr), w = r.Range(0.05f, 0.2f);
            c.Poly(WithAlpha(SKColors.White, r.Range(0.08f, 0.2f)), [x, gt, x + w, gt, x + w + d, gb, x + d, gb]);
            c.Unclip();
        }
        for (int f = 0; f <= floors; f++)
        {
            float y = gt + f * floorH;
            c.Crisp(l, y - band / 2, rr, y + band / 2, frame);
        }
        for (int i = 0; i <= bays; i++)
        {
            float x = l + (rr - l) * i / bays;
            c.Crisp(x - mullion / 2, gt, x + mullion / 2, gb, frame);
        }
        // Parapet and, sometimes, plant on the roof.
        float parapet = Math.Max(c.Px * 1.5f, 0.012f);
        c.Rect(l - 0.004f, gt - parapet, rr + 0.004f, gt, Shade(frame, 0.9f));
        if (!faded && r.Chance(0.5f))
        {
            float pw = (rr - l) * r.Range(0.2f, 0.4f), px = r.Range(l, rr - pw);
            c.Rect(px, gt - parapet - r.Range(0.02f, 0.05f), px + pw, gt - parapet, Shade(frame, 0.75f));
        }
        if (!faded && r.Chance(0.25f))
        {
            float ax = r.Range(l + 0.02f, rr - 0.02f);
            c.Rect(ax - c.Px / 2, gt - r.Range(0.06f, 0.12f), ax + c.Px / 2, gt, Shade(frame, 0.6f));
        }
        if (lobby)
        {
            var hall = Shade(glass, 0.45f);
            c.Rect(l, gb, rr, b, hall);
            int doors = Math.Max(2, bays / 2);
            for (int i = 0; i <= doors; i++)
            {
                float x = l + (rr - l) * i / doors;
                c.Crisp(x - mullion / 2, gb, x + mullion / 2, b, frame);
            }
            float mid = (l + rr) / 2, dw = (rr - l) * 0.12f;
            c.Rect(mid - dw, gb + lobbyH * 0.3f, mid + dw, b, Mix(hall, new SKColor(230, 210, 160), 0.35f));
            c.Rect(mid - dw * 1.6f, gb, mid + dw * 1.6f, gb + Math.Max(c.Px * 1.5f, lobbyH * 0.12f), Shade(frame, 0.8f));
        }
    }
}
