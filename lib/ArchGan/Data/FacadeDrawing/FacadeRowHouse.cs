using SkiaSharp;
using static ArchGan.Data.FacadeDrawing.FacadePalette;
using static ArchGan.Data.FacadeDrawing.FacadeParts;

namespace ArchGan.Data.FacadeDrawing;

/// <summary>
/// A terrace of two to four narrow brick houses sharing party walls: sash windows with stone lintels, one front door
/// each, and a common roof type (front gables, a slate roof with dormers, or a flat parapet) with chimneys.
/// </summary>
internal static class FacadeRowHouse
{
    private enum Roof { Gable, Slate, Parapet }

    public static void Draw(FacadeCanvas c, FacadeRandom r)
    {
        float gy = r.Range(0.8f, 0.9f);
        var scene = FacadeScenery.Backdrop(c, r, gy, urban: true);
        FacadeScenery.Ground(c, r, scene, urban: true);
        float kerb = gy + r.Range(0.03f, 0.06f);
        FacadeScenery.Street(c, r, kerb);

        int houses = r.Int(2, 5);
        float total = r.Range(0.8f, 1.12f);
        float start = 0.5f - total / 2 + r.Range(-0.06f, 0.06f);
        var roof = (Roof)r.Int(0, 3);
        int floors = r.Int(2, 5);
        float maxHeight = gy - (roof == Roof.Parapet ? 0.1f : 0.22f);
        float floorH = Math.Min(r.Range(0.1f, 0.17f), maxHeight / (floors + 0.3f));
        float groundH = floorH * r.Range(1.05f, 1.3f);
        var brickBase = r.Pick(Brick);
        var roofColour = Jitter(r.Pick(roof == Roof.Gable && r.Chance(0.5f) ? Terracotta : Slate), r, 0.03f);
        var stone = Jitter(new SKColor(226, 220, 204), r, 0.03f);
        var frame = r.Chance(0.8f) ? new SKColor(240, 238, 232) : Jitter(r.Pick(Frame), r);
        var glass = r.Pick(WindowGlass);
        bool lintels = r.Chance(0.7f);

        // Widths vary a little house to house but fill the terrace exactly.
        Span<float> widths = stackalloc float[houses];
        float sum = 0;
        for (int i = 0; i < houses; i++) sum += widths[i] = r.Range(0.85f, 1.15f);
        float x = start;
        for (int i = 0; i < houses; i++)
        {
            float w = widths[i] / sum * total;
            int myFloors = Math.Max(2, floors + (r.Chance(0.25f) ? r.Int(-1, 2) : 0));
            float top = gy - groundH - (myFloors - 1) * floorH;
            if (top < 0.12f) { myFloors--; top += floorH; }
            var wall = r.Chance(0.15f) ? Jitter(r.Pick(Stucco), r, 0.04f) : Jitter(brickBase, r, 0.05f);
            House(c, r, x, x + w, top, gy, myFloors, floorH, groundH, wall, roof, roofColour, stone, frame, glass, lintels);
            x += w;
        }
        if (r.Chance(0.4f)) FacadeScenery.RoundTree(c, r, r.Range(0.05f, 0.95f), kerb + 0.02f, r.Range(0.25f, 0.45f));
    }

    private static void House(FacadeCanvas c, FacadeRandom r, float l, float rr, float top, float gy, int floors, float floorH, float groundH,
        SKColor wall, Roof roof, SKColor roofColour, SKColor stone, SKColor frame, SKColor glass, bool lintels)
    {
        float w = rr - l, cx = (l + rr) / 2;
        switch (roof)
        {
            case Roof.Gable:
                float gh = w * r.Range(0.35f, 0.6f);
                c.Poly(roofColour, [l - 0.01f, top + c.Px, rr + 0.01f, top + c.Px, cx, top - gh - 0.012f]);
                c.Poly(wall, [l + 0.004f, top + c.Px, rr - 0.004f, top + c.Px, cx, top - gh + 0.004f]);
                Window(c, cx - w * 0.07f, top - gh * 0.55f, cx + w * 0.07f, top - gh * 0.15f, frame, glass, bars: false, arched: r.Chance(0.5f));
                Chimney(c, r, r.Chance(0.5f) ? l + w * 0.15f : rr - w * 0.25f, top - gh * 0.6f, w * 0.1f, wall);
                break;
            case Roof.Slate:
                float sh = r.Range(0.06f, 0.12f);
                c.Poly(roofColour, [l, top + c.Px, rr, top + c.Px, rr, top - sh, l, top - sh]);
                Chimney(c, r, l, top - sh, w * 0.12f, wall);
                if (r.Chance(0.7f))
                {
                    float dw = w * 0.22f;
                    c.Rect(cx - dw / 2 - 0.006f, top - sh * 0.75f, cx + dw / 2 + 0.006f, top, roofColour);
                    c.Poly(Shade(roofColour, 0.8f), [cx - dw / 2 - 0.012f, top - sh * 0.75f, cx + dw / 2 + 0.012f, top - sh * 0.75f, cx, top - sh * 0.95f]);
                    Window(c, cx - dw / 2 + 0.004f, top - sh * 0.65f, cx + dw / 2 - 0.004f, top - 0.006f, frame, glass, bars: false);
                }
                break;
            default:
                float ph = r.Range(0.02f, 0.05f);
                c.Rect(l, top - ph, rr, top, wall);
                c.Rect(l - 0.004f, top - ph - 0.01f, rr + 0.004f, top - ph, stone);
                c.Rect(l, top - 0.008f, rr, top, stone);
                Chimney(c, r, rr - w * 0.2f, top - ph - 0.01f, w * 0.1f, wall);
                break;
        }
        c.Rect(l, top, rr, gy, wall);
        if (c.Size >= 96)
        {
            // Mortar courses: only where they are far enough apart to read as texture rather than a colour shift.
            var mortar = WithAlpha(Shade(wall, 1.35f), 0.22f);
            float course = 3f / c.Size;
            for (float y = top + course; y < gy; y += course) c.Rect(l, y, rr, y + c.Px * 0.6f, mortar);
        }
        c.Rect(rr - c.Px, top, rr, gy, Shade(wall, 0.7f));

        int bays = w > 0.3f ? 3 : 2;
        float winW = w / bays * r.Range(0.42f, 0.55f);
        int doorBay = r.Chance(0.5f) ? 0 : bays - 1;
        bool shop = r.Chance(0.2f);
        for (int f = 0; f < floors; f++)
        {
            float fb = f == 0 ? gy : gy - groundH - (f - 1) * floorH;
            float fh = f == 0 ? groundH : floorH;
            float h = fh * (f == 1 ? 0.68f : 0.58f);
            float wt = fb - fh * 0.2f - h;
            if (f == 0 && shop)
            {
                var awning = Jitter(r.Pick(DoorLeaf), r);
                c.Rect(l + w * 0.08f, fb - fh * 0.75f, rr - w * 0.08f, fb, Shade(glass, 1.1f));
                c.Rect(l + w * 0.05f, fb - fh * 0.9f, rr - w * 0.05f, fb - fh * 0.72f, awning);
                continue;
            }
            for (int i = 0; i < bays; i++)
            {
                float bx = BayCentre(l, rr, bays, i);
                if (f == 0 && i == doorBay)
                {
                    float dw = winW * 1.05f, dt = fb - fh * 0.78f;
                    Door(c, bx - dw / 2, dt, bx + dw / 2, fb, frame, Jitter(r.Pick(DoorLeaf), r), arched: r.Chance(0.4f));
                    c.Rect(bx - dw * 0.8f, fb - c.Px, bx + dw * 0.8f, fb + 0.012f, stone);
                    continue;
                }
                Window(c, bx - winW / 2, wt, bx + winW / 2, wt + h, frame, glass, bars: true);
                if (lintels)
                {
                    c.Crisp(bx - winW * 0.7f, wt - Math.Max(c.Px, h * 0.14f), bx + winW * 0.7f, wt - c.Px, stone);
                    c.Crisp(bx - winW * 0.65f, wt + h + c.Px, bx + winW * 0.65f, wt + h + Math.Max(c.Px * 2, h * 0.08f), stone);
                }
            }
        }
    }

    private static void Chimney(FacadeCanvas c, FacadeRandom r, float x, float baseY, float w, SKColor wall)
    {
        float h = r.Range(0.04f, 0.08f);
        c.Rect(x, baseY - h, x + w, baseY + 0.01f, Shade(wall, 0.85f));
        c.Rect(x - 0.004f, baseY - h - 0.008f, x + w + 0.004f, baseY - h, Shade(wall, 0.7f));
    }
}
