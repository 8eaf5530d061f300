using SkiaSharp;
using static ArchGan.Data.FacadeDrawing.FacadePalette;

namespace ArchGan.Data.FacadeDrawing;

/// <summary>Windows, doors and pediments shared by several styles.</summary>
internal static class FacadeParts
{
    /// <summary>
    /// A framed window. Glazing bars only appear once the window is several pixels wide, since below that they
    /// would only grey the glass.
    /// </summary>
    public static void Window(FacadeCanvas c, float l, float t, float r, float b, SKColor frame, SKColor glass, bool bars, bool arched = false)
    {
        float f = Math.Max(c.Px, (r - l) * 0.12f);
        if (arched)
        {
            c.Arch(l - f, t - f, r + f, b + f, frame);
            c.Arch(l, t, r, b, glass);
        }
        else
        {
            c.Crisp(l - f, t - f, r + f, b + f, frame);
            c.Crisp(l, t, r, b, glass);
            // A lighter top pane reads as sky reflected in the glass.
            c.Crisp(l, t, r, t + (b - t) * 0.35f, Mix(glass, new SKColor(150, 170, 190), 0.25f));
        }
        if (bars && (r - l) * c.Size >= 5)
        {
            float w = Math.Max(c.Px * 0.8f, (r - l) * 0.07f);
            float mx = (l + r) / 2;
            c.Rect(mx - w / 2, t, mx + w / 2, b, frame);
            for (int k = 1; k < 3; k++)
            {
                float y = t + (b - t) * k / 3;
                c.Rect(l, y - w / 2, r, y + w / 2, frame);
            }
        }
    }

    public static void Shutters(FacadeCanvas c, float l, float t, float r, float b, SKColor colour)
    {
        float w = (r - l) * 0.5f;
        c.Crisp(l - w - c.Px, t, l - c.Px, b, colour);
        c.Crisp(r + c.Px, t, r + w + c.Px, b, colour);
    }

    /// <summary>A triangular pediment with its tympanum a shade darker, so it reads at any size.</summary>
    public static void Pediment(FacadeCanvas c, float l, float r, float baseY, float height, SKColor colour)
    {
        c.Poly(colour, [l, baseY, r, baseY, (l + r) / 2, baseY - height]);
        float inset = Math.Max(c.Px, height * 0.18f);
        float slope = height / ((r - l) / 2);
        float il = l + inset * 2.2f, ir = r - inset * 2.2f;
        float ih = ((ir - il) / 2) * slope - inset * 0.2f;
        if (ih > 0) c.Poly(Shade(colour, 0.82f), [il, baseY - inset * 0.5f, ir, baseY - inset * 0.5f, (il + ir) / 2, baseY - inset * 0.5f - ih + inset * 0.6f]);
    }

    public static void Door(FacadeCanvas c, float l, float t, float r, float b, SKColor frame, SKColor leaf, bool arched)
    {
        float f = Math.Max(c.Px, (r - l) * 0.14f);
        if (arched)
        {
            c.Arch(l - f, t - f, r + f, b, frame);
            c.Arch(l, t, r, b, leaf);
        }
        else
        {
            c.Crisp(l - f, t - f, r + f, b, frame);
            c.Crisp(l, t, r, b, leaf);
        }
        if ((r - l) * c.Size >= 6) c.Rect((l + r) / 2 - c.Px * 0.5f, t + (r - l) * 0.5f, (l + r) / 2 + c.Px * 0.5f, b, Shade(leaf, 0.6f));
    }

    /// <summary>Evenly spaced centres of <paramref name="count"/> bays between <paramref name="l"/> and <paramref name="r"/>.</summary>
    public static float BayCentre(float l, float r, int count, int i) => l + (r - l) * (i + 0.5f) / count;
}
