using SkiaSharp;
using static ArchGan.Data.FacadeDrawing.FacadePalette;
using static ArchGan.Data.FacadeDrawing.FacadeParts;

namespace ArchGan.Data.FacadeDrawing;

/// <summary>
/// A Palladian villa: a symmetric block on a plinth, its centre marked by a temple front (columns under a pediment),
/// an arched loggia or a framed door, sometimes with low arcaded wings (barchesse) and flanking cypresses.
/// </summary>
internal static class FacadeVilla
{
    public static void Draw(FacadeCanvas c, FacadeRandom r)
    {
        float gy = r.Range(0.76f, 0.88f);
        var scene = FacadeScenery.Backdrop(c, r, gy, urban: false);
        var groundColour = FacadeScenery.Ground(c, r, scene, urban: false);

        var wall = Jitter(r.Pick(Stucco), r, 0.04f);
        var trim = Mix(wall, new SKColor(250, 248, 242), r.Range(0.4f, 0.8f));
        var roof = Jitter(r.Pick(Terracotta), r);
        var glass = r.Pick(WindowGlass);
        var shadow = Shade(wall, 0.6f);

        float cx = 0.5f + r.Range(-0.05f, 0.05f);
        float width = r.Range(0.55f, 0.88f);
        int floors = r.Int(1, 3);
        bool attic = r.Chance(0.4f);
        float floorH = floors == 1 ? r.Range(0.19f, 0.26f) : r.Range(0.125f, 0.165f);
        float plinth = r.Range(0.025f, 0.065f);
        float atticH = attic ? floorH * 0.5f : 0;
        float top = gy - plinth - floors * floorH - atticH;
        float left = cx - width / 2, right = cx + width / 2;
        float cornice = Math.Max(c.Px * 1.5f, 0.014f);

        if (r.Chance(0.45f)) Wings(c, r, left, right, top, gy, wall, roof, shadow);

        // Hipped roof first, so the cornice overlaps its eaves.
        float roofH = r.Range(0.03f, 0.075f);
        float inset = roofH * r.Range(1.2f, 3f);
        float eave = top - cornice;
        c.Poly(roof, [left - 0.015f, eave + c.Px, right + 0.015f, eave + c.Px, right - inset, eave - roofH, left + inset, eave - roofH]);
        if (r.Chance(0.6f))
        {
            for (int k = 0; k < 2; k++)
            {
                float x = k == 0 ? left + inset + 0.03f : right - inset - 0.05f;
                c.Rect(x, eave - roofH - 0.02f, x + 0.02f, eave - roofH * 0.5f, Shade(wall, 0.9f));
            }
        }

        c.Rect(left, top, right, gy - plinth, wall);
        c.Rect(left, gy - plinth, right, gy, Shade(wall, 0.86f));
        c.Rect(left - 0.008f, eave, right + 0.008f, top, trim);
        c.Rect(left, top, right, top + Math.Max(c.Px, 0.006f), WithAlpha(shadow, 0.5f));
        if (floors == 2) c.Rect(left, gy - plinth - floorH - 0.006f, right, gy - plinth - floorH, trim);
        if (attic) c.Rect(left, top + atticH - 0.005f, right, top + atticH, trim);

        int kind = r.Int(0, 10);
        float porch = width * r.Range(0.3f, 0.46f);
        float pl = cx - porch / 2, pr = cx + porch / 2;

        // Windows: the same bays on both sides of the centre.
        int bays = Math.Max(1, (int)MathF.Round((pl - left) / r.Range(0.07f, 0.11f)));
        float winW = (pl - left) / bays * r.Range(0.38f, 0.55f);
        float winRatio = r.Range(0.5f, 0.68f);
        bool shutters = r.Chance(0.35f);
        var shutter = Jitter(r.Pick(Shutter), r);
        bool hoods = r.Chance(0.5f);
        bool archedWindows = r.Chance(0.2f);
        for (int f = 0; f < floors; f++)
        {
            float fb = gy - plinth - f * floorH;
            float h = floorH * (f == 0 ? winRatio : winRatio * 0.85f);
            float wt = fb - floorH * 0.22f - h;
            for (int i = 0; i < bays; i++)
            {
                float x = BayCentre(left + 0.01f, pl - 0.01f, bays, i);
                foreach (float xc in (ReadOnlySpan<float>)[x, 2 * cx - x])
                {
                    if (shutters) Shutters(c, xc - winW / 2, wt, xc + winW / 2, wt + h, shutter);
                    Window(c, xc - winW / 2, wt, xc + winW / 2, wt + h, trim, glass, bars: true, arched: archedWindows && f == 0);
                    if (hoods && f == 0 && !archedWindows) Pediment(c, xc - winW * 0.75f, xc + winW * 0.75f, wt - winW * 0.2f, winW * 0.35f, trim);
                }
            }
        }
        if (attic)
        {
            for (int i = 0; i < bays; i++)
            {
                float x = BayCentre(left + 0.01f, pl - 0.01f, bays, i);
                foreach (float xc in (ReadOnlySpan<float>)[x, 2 * cx - x])
                    Window(c, xc - winW * 0.4f, top + atticH * 0.3f, xc + winW * 0.4f, top + atticH * 0.75f, trim, glass, bars: false);
            }
        }
        // Small basement windows in the plinth.
        if (plinth > 0.04f)
            for (int i = 0; i < bays; i++)
            {
                float x = BayCentre(left + 0.01f, pl - 0.01f, bays, i);
                foreach (float xc in (ReadOnlySpan<float>)[x, 2 * cx - x])
                    c.Crisp(xc - winW * 0.3f, gy - plinth * 0.7f, xc + winW * 0.3f, gy - plinth * 0.3f, Shade(glass, 1.1f));
            }

        float stepsBottom = gy + r.Range(0.02f, 0.05f);
        if (kind < 6) Portico(c, r, pl, pr, top, gy - plinth, eave, trim, wall, shadow, glass);
        else if (kind < 8) Loggia(c, r, pl, pr, top, gy - plinth, floors, floorH, eave, trim, wall, shadow);
        else
        {
            float dw = Math.Min(porch * 0.35f, floorH * 0.5f);
            float db = gy - plinth;
            Door(c, cx - dw / 2, db - floorH * 0.8f, cx + dw / 2, db, trim, Shade(glass, 0.9f), arched: r.Chance(0.6f));
            Pediment(c, cx - dw, cx + dw, db - floorH * 0.8f - dw * 0.25f, dw * 0.4f, trim);
            for (int f = 1; f < floors; f++)
                Window(c, cx - winW / 2, db - f * floorH - floorH * 0.75f, cx + winW / 2, db - f * floorH - floorH * 0.2f, trim, glass, bars: true, arched: true);
            if (r.Chance(0.5f)) Pediment(c, pl - 0.01f, pr + 0.01f, eave + c.Px, porch * r.Range(0.15f, 0.22f), trim);
        }

        // Steps up to the piano nobile, wider at the bottom.
        var stone = Mix(trim, new SKColor(200, 196, 188), 0.4f);
        int steps = Math.Max(2, (int)((stepsBottom - (gy - plinth)) * c.Size / 2));
        float stepH = (stepsBottom - (gy - plinth)) / steps;
        for (int k = 0; k < steps; k++)
        {
            float y = gy - plinth + k * stepH;
            float grow = porch * 0.05f * k;
            c.Rect(pl - grow, y, pr + grow, y + stepH, Shade(stone, k % 2 == 0 ? 1f : 0.86f));
        }

        if (r.Chance(0.5f))
        {
            var path = Mix(new SKColor(210, 200, 176), groundColour, 0.2f);
            float pw = porch * 0.6f;
            c.Poly(path, [cx - pw / 2, stepsBottom, cx + pw / 2, stepsBottom, cx + pw * 1.4f, 1.01f, cx - pw * 1.4f, 1.01f]);
        }
        Foreground(c, r, left, right, gy, gy - top);
    }

    private static void Wings(FacadeCanvas c, FacadeRandom r, float left, float right, float top, float gy, SKColor wall, SKColor roof, SKColor shadow)
    {
        float span = r.Range(0.12f, 0.3f);
        float h = (gy - top) * r.Range(0.4f, 0.6f);
        var wingWall = Shade(wall, 0.94f);
        int arches = Math.Max(2, (int)MathF.Round(span / 0.055f));
        foreach (var (l, rr) in (ReadOnlySpan<(float, float)>)[(left - span, left), (right, right + span)])
        {
            c.Poly(roof, [l - 0.01f, gy - h, rr + 0.01f, gy - h, rr, gy - h - h * 0.18f, l, gy - h - h * 0.18f]);
            c.Rect(l, gy - h, rr, gy, wingWall);
            for (int i = 0; i < arches; i++)
            {
                float x = BayCentre(l, rr, arches, i), aw = (rr - l) / arches * 0.62f;
                c.Arch(x - aw / 2, gy - h * 0.78f, x + aw / 2, gy, shadow);
            }
        }
    }

    private static void Portico(FacadeCanvas c, FacadeRandom r, float pl, float pr, float top, float bottom, float eave,
        SKColor trim, SKColor wall, SKColor shadow, SKColor glass)
    {
        float porch = pr - pl;
        int columns = porch > 0.24f ? 6 : 4;
        if (r.Chance(0.2f)) columns = porch > 0.3f ? 8 : 6;
        c.Rect(pl, top, pr, bottom, Shade(wall, 0.55f));
        float cx = (pl + pr) / 2;
        float dw = porch / columns * 0.7f;
        Door(c, cx - dw / 2, bottom - (bottom - top) * 0.45f, cx + dw / 2, bottom, Shade(wall, 0.75f), Shade(glass, 0.7f), arched: r.Chance(0.5f));

        float colW = porch / columns * r.Range(0.32f, 0.45f);
        var lit = Mix(trim, SKColors.White, 0.3f);
        var dark = Shade(trim, 0.8f);
        for (int i = 0; i < columns; i++)
        {
            float x = pl + colW / 2 + (porch - colW) * i / (columns - 1);
            c.Rect(x - colW / 2, top, x + colW / 2, bottom, lit);
            // Shaded right half gives the shaft its roundness.
            c.Rect(x + colW * 0.15f, top, x + colW / 2, bottom, dark);
            float cap = Math.Max(c.Px, colW * 0.35f);
            c.Rect(x - colW * 0.75f, top, x + colW * 0.75f, top + cap, trim);
            c.Rect(x - colW * 0.7f, bottom - cap, x + colW * 0.7f, bottom, trim);
        }
        float ent = Math.Max(c.Px * 2, 0.022f);
        c.Rect(pl - 0.01f, eave - ent * 0.4f, pr + 0.01f, top + ent * 0.4f, trim);
        c.Rect(pl - 0.01f, top + ent * 0.4f - c.Px, pr + 0.01f, top + ent * 0.4f, shadow);
        float ph = porch * r.Range(0.18f, 0.27f);
        Pediment(c, pl - 0.014f, pr + 0.014f, eave - ent * 0.4f + c.Px, ph, trim);
        if (r.Chance(0.4f))
        {
            // Statues on the pediment's apex and corners, as at La Rotonda.
            float sw = Math.Max(c.Px, 0.012f), sh = sw * 2.8f;
            float baseY = eave - ent * 0.4f;
            foreach (float x in (ReadOnlySpan<float>)[pl - 0.01f, (pl + pr) / 2, pr + 0.01f])
            {
                float y = x == (pl + pr) / 2 ? baseY - ph : baseY;
                c.Rect(x - sw / 2, y - sh, x + sw / 2, y + c.Px, trim);
            }
        }
    }

    private static void Loggia(FacadeCanvas c, FacadeRandom r, float pl, float pr, float top, float bottom, int floors, float floorH, float eave,
        SKColor trim, SKColor wall, SKColor shadow)
    {
        int arches = r.Chance(0.7f) ? 3 : 5;
        float porch = pr - pl;
        float h = floors == 1 ? (bottom - top) * 0.8f : floorH * 0.85f;
        c.Rect(pl, top, pr, bottom, Shade(wall, 1.05f));
        float aw = porch / arches * r.Range(0.55f, 0.72f);
        for (int i = 0; i < arches; i++)
        {
            float x = BayCentre(pl, pr, arches, i);
            c.Arch(x - aw / 2 - c.Px, bottom - h - c.Px, x + aw / 2 + c.Px, bottom, trim);
            c.Arch(x - aw / 2, bottom - h, x + aw / 2, bottom, shadow);
        }
        if (floors == 2)
            for (int i = 0; i < arches; i++)
            {
                float x = BayCentre(pl, pr, arches, i);
                FacadeParts.Window(c, x - aw * 0.3f, bottom - floorH - floorH * 0.7f, x + aw * 0.3f, bottom - floorH - floorH * 0.2f, trim, Shade(shadow, 0.7f), bars: true);
            }
        if (r.Chance(0.65f)) Pediment(c, pl - 0.012f, pr + 0.012f, eave + c.Px, porch * r.Range(0.16f, 0.24f), trim);
    }

    private static void Foreground(FacadeCanvas c, FacadeRandom r, float left, float right, float gy, float height)
    {
        int choice = r.Int(0, 4);
        if (choice == 0)
        {
            float h = height * r.Range(1.0f, 1.5f);
            FacadeScenery.Cypress(c, r, left - r.Range(0.02f, 0.08f), gy + 0.02f, h);
            FacadeScenery.Cypress(c, r, right + r.Range(0.02f, 0.08f), gy + 0.02f, h);
        }
        else if (choice == 1)
        {
            FacadeScenery.Bush(c, r, left + r.Range(0, 0.08f), gy + 0.03f, r.Range(0.06f, 0.12f));
            FacadeScenery.Bush(c, r, right - r.Range(0, 0.08f), gy + 0.03f, r.Range(0.06f, 0.12f));
        }
        else if (choice == 2)
        {
            FacadeScenery.RoundTree(c, r, r.Chance(0.5f) ? r.Range(0, 0.12f) : r.Range(0.88f, 1), gy + r.Range(0.02f, 0.08f), height * r.Range(0.9f, 1.4f));
        }
        if (r.Chance(0.35f))
        {
            // A clipped hedge along the lawn.
            var hedge = Jitter(r.Pick(Foliage), r);
            float y = gy + r.Range(0.04f, 0.1f);
            c.Rect(0, y, 0.5f - (right - left) * 0.2f, y + 0.03f, hedge);
            c.Rect(0.5f + (right - left) * 0.2f, y, 1, y + 0.03f, hedge);
        }
    }
}
