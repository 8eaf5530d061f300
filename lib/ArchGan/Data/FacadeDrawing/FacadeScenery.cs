using SkiaSharp;
using static ArchGan.Data.FacadeDrawing.FacadePalette;

namespace ArchGan.Data.FacadeDrawing;

/// <summary>Sky, clouds, hills, ground and trees: the setting that makes a facade read as a building standing outdoors.</summary>
internal static class FacadeScenery
{
    /// <summary>Draws the sky and the distant landscape down to <paramref name="groundY"/>.</summary>
    public static FacadeScene Backdrop(FacadeCanvas c, FacadeRandom r, float groundY, bool urban)
    {
        var (top, bottom) = r.Pick(Skies);
        top = Jitter(top, r, 0.04f);
        bottom = Jitter(bottom, r, 0.04f);
        c.VerticalGradient(0, 0, 1, groundY, top, bottom);
        var scene = new FacadeScene(groundY, top, bottom);

        if (r.Chance(0.15f))
            c.RadialGlow(r.Range(0.05f, 0.95f), r.Range(0.05f, groundY * 0.4f), r.Range(0.1f, 0.2f), WithAlpha(new SKColor(255, 248, 230), 0.4f));

        int clouds = r.Int(0, 5);
        for (int i = 0; i < clouds; i++) Cloud(c, r, groundY);

        if (!urban && r.Chance(0.45f)) Hills(c, r, scene);
        if (r.Chance(urban ? 0.3f : 0.55f)) TreeLine(c, r, scene);
        return scene;
    }

    private static void Cloud(FacadeCanvas c, FacadeRandom r, float groundY)
    {
        float cx = r.Range(-0.1f, 1.1f), cy = r.Range(0.04f, groundY * 0.55f);
        float w = r.Range(0.1f, 0.32f), h = w * r.Range(0.25f, 0.45f);
        var white = WithAlpha(new SKColor(250, 250, 252), r.Range(0.55f, 0.9f));
        var underside = WithAlpha(new SKColor(200, 204, 214), 0.5f);
        c.Ellipse(cx, cy + h * 0.25f, w * 0.5f, h * 0.35f, underside);
        int puffs = r.Int(3, 7);
        for (int i = 0; i < puffs; i++)
        {
            float t = (i + 0.5f) / puffs;
            float px = cx - w / 2 + t * w;
            float rad = h * (0.5f + 0.5f * MathF.Sin(t * MathF.PI)) * r.Range(0.7f, 1.1f);
            c.Ellipse(px, cy - rad * 0.3f, rad, rad * 0.8f, white);
        }
    }

    private static void Hills(FacadeCanvas c, FacadeRandom r, FacadeScene s)
    {
        var colour = Mix(Jitter(new SKColor(80, 110, 90), r), s.SkyBottom, r.Range(0.35f, 0.6f));
        float height = r.Range(0.05f, 0.14f), phase = r.Range(0, 6.3f), freq = r.Range(4f, 10f);
        Span<float> xy = stackalloc float[2 * 19];
        for (int i = 0; i <= 16; i++)
        {
            float x = i / 16f;
            xy[2 * i] = x;
            xy[2 * i + 1] = s.GroundY - height * (0.6f + 0.4f * MathF.Sin(phase + x * freq));
        }
        xy[34] = 1; xy[35] = s.GroundY + 0.01f;
        xy[36] = 0; xy[37] = s.GroundY + 0.01f;
        c.Poly(colour, xy);
    }

    private static void TreeLine(FacadeCanvas c, FacadeRandom r, FacadeScene s)
    {
        var colour = Mix(r.Pick(Foliage), s.SkyBottom, r.Range(0.15f, 0.4f));
        float size = r.Range(0.03f, 0.07f);
        for (float x = r.Range(-0.05f, 0); x < 1.05f; x += size * r.Range(0.8f, 1.4f))
        {
            float rad = size * r.Range(0.7f, 1.3f);
            c.Ellipse(x, s.GroundY - rad * 0.8f, rad, rad, colour);
        }
    }

    /// <summary>Grass, gravel or paving from the ground line to the bottom edge, darker towards the viewer.</summary>
    public static SKColor Ground(FacadeCanvas c, FacadeRandom r, FacadeScene s, bool urban)
    {
        var colour = Jitter(urban || r.Chance(0.25f) ? r.Pick(Paving) : r.Pick(Grass), r, 0.04f);
        c.VerticalGradient(0, s.GroundY, 1, 1.001f, Mix(colour, s.SkyBottom, 0.15f), Shade(colour, 0.8f));
        return colour;
    }

    /// <summary>A street across the bottom of the image, in front of urban buildings.</summary>
    public static void Street(FacadeCanvas c, FacadeRandom r, float top)
    {
        var asphalt = Jitter(new SKColor(70, 72, 76), r, 0.04f);
        c.Rect(0, top, 1, 1.001f, asphalt);
        c.Rect(0, top, 1, top + Math.Max(c.Px, 0.008f), Shade(asphalt, 1.3f));
        if (r.Chance(0.5f))
        {
            float y = (top + 1) / 2;
            for (float x = r.Range(0, 0.1f); x < 1; x += 0.16f)
                c.Rect(x, y, x + 0.07f, y + Math.Max(c.Px, 0.008f), new SKColor(220, 220, 210));
        }
    }

    /// <summary>A round-crowned tree on a trunk, standing on <paramref name="baseY"/>.</summary>
    public static void RoundTree(FacadeCanvas c, FacadeRandom r, float x, float baseY, float height)
    {
        var leaf = Jitter(r.Pick(Foliage), r);
        float crown = height * r.Range(0.3f, 0.4f);
        c.Rect(x - height * 0.03f, baseY - height * 0.5f, x + height * 0.03f, baseY, new SKColor(70, 54, 40));
        c.Ellipse(x, baseY - height + crown, crown, crown, leaf);
        c.Ellipse(x - crown * 0.4f, baseY - height + crown * 1.3f, crown * 0.7f, crown * 0.6f, Shade(leaf, 0.85f));
        c.Ellipse(x + crown * 0.3f, baseY - height + crown * 0.7f, crown * 0.5f, crown * 0.45f, Shade(leaf, 1.12f));
    }

    /// <summary>A cypress: the tall dark flame that flanks so many Veneto villas.</summary>
    public static void Cypress(FacadeCanvas c, FacadeRandom r, float x, float baseY, float height)
    {
        var leaf = Shade(Jitter(r.Pick(Foliage), r), 0.8f);
        float w = height * r.Range(0.12f, 0.18f);
        c.Poly(leaf, [x, baseY - height, x + w, baseY - height * 0.35f, x + w * 0.6f, baseY, x - w * 0.6f, baseY, x - w, baseY - height * 0.35f]);
    }

    public static void Bush(FacadeCanvas c, FacadeRandom r, float x, float baseY, float width)
    {
        var leaf = Jitter(r.Pick(Foliage), r);
        c.Ellipse(x, baseY - width * 0.3f, width / 2, width * 0.35f, leaf);
        c.Ellipse(x - width * 0.1f, baseY - width * 0.4f, width * 0.3f, width * 0.22f, Shade(leaf, 1.1f));
    }
}
