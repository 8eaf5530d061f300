using SkiaSharp;

namespace ArchGan.Data.FacadeDrawing;

/// <summary>
/// Base colours for walls, roofs, skies and ground, and the jitter that keeps two buildings from the same list
/// from sharing exactly one colour. Kept muted and close to photographs, since the model is meant to learn
/// from these before it sees real images.
/// </summary>
internal static class FacadePalette
{
    public static readonly SKColor[] Stucco =
    [
        new(238, 228, 204), new(244, 240, 230), new(222, 186, 124), new(232, 200, 184),
        new(238, 218, 160), new(208, 202, 190), new(218, 198, 164), new(226, 214, 190),
    ];

    public static readonly SKColor[] Brick =
    [
        new(150, 62, 46), new(168, 82, 56), new(122, 52, 40), new(176, 112, 72),
        new(140, 92, 72), new(190, 158, 112), new(132, 70, 54), new(160, 96, 70),
    ];

    public static readonly SKColor[] Stone =
    [
        new(196, 188, 170), new(176, 168, 152), new(210, 196, 168), new(160, 150, 138), new(190, 170, 140),
    ];

    public static readonly SKColor[] Glass =
    [
        new(58, 98, 138), new(66, 128, 148), new(40, 68, 90), new(88, 120, 112),
        new(110, 92, 72), new(78, 90, 112), new(100, 136, 168), new(50, 60, 70),
    ];

    public static readonly SKColor[] Frame =
    [
        new(236, 236, 232), new(60, 62, 66), new(24, 24, 26), new(120, 96, 70), new(176, 180, 186), new(200, 196, 186),
    ];

    public static readonly SKColor[] Terracotta = [new(170, 80, 50), new(150, 70, 46), new(186, 102, 62), new(160, 92, 66)];

    public static readonly SKColor[] Slate = [new(70, 76, 88), new(92, 92, 102), new(60, 60, 66), new(104, 84, 78)];

    public static readonly SKColor[] Copper = [new(96, 158, 134), new(80, 140, 120)];

    public static readonly SKColor[] DoorLeaf = [new(120, 30, 30), new(30, 50, 100), new(30, 84, 52), new(22, 22, 26), new(92, 62, 40), new(200, 170, 60)];

    public static readonly SKColor[] WindowGlass = [new(38, 44, 56), new(52, 60, 58), new(30, 36, 48), new(62, 70, 84)];

    public static readonly SKColor[] Shutter = [new(50, 90, 60), new(70, 110, 80), new(90, 70, 50), new(80, 96, 110)];

    /// <summary>Sky gradients, zenith then horizon: clear, hazy, evening and overcast.</summary>
    public static readonly (SKColor Top, SKColor Bottom)[] Skies =
    [
        (new(52, 110, 196), new(170, 204, 236)),
        (new(74, 134, 214), new(200, 222, 240)),
        (new(40, 92, 170), new(150, 190, 226)),
        (new(120, 156, 200), new(214, 222, 226)),
        (new(60, 70, 130), new(236, 170, 120)),
        (new(90, 100, 160), new(240, 196, 170)),
        (new(140, 146, 156), new(200, 202, 204)),
        (new(96, 150, 220), new(236, 236, 230)),
    ];

    public static readonly SKColor[] Grass = [new(92, 132, 62), new(112, 142, 70), new(72, 112, 52), new(128, 140, 80)];

    public static readonly SKColor[] Paving = [new(150, 150, 146), new(176, 170, 158), new(128, 126, 124), new(196, 184, 156)];

    public static readonly SKColor[] Foliage = [new(40, 80, 40), new(52, 92, 46), new(32, 62, 36), new(72, 100, 50), new(60, 84, 40)];

    public static SKColor Jitter(SKColor c, FacadeRandom r, float amount = 0.06f)
    {
        float light = 1 + r.Range(-amount, amount) * 1.5f;
        byte Ch(byte v) => ToByte(v * light + r.Range(-amount, amount) * 255);
        return new SKColor(Ch(c.Red), Ch(c.Green), Ch(c.Blue), c.Alpha);
    }

    /// <summary>Darker below 1, lighter (towards white) above 1.</summary>
    public static SKColor Shade(SKColor c, float f) =>
        f <= 1 ? new SKColor(ToByte(c.Red * f), ToByte(c.Green * f), ToByte(c.Blue * f), c.Alpha)
               : Mix(c, SKColors.White, Math.Min(1, f - 1));

    public static SKColor Mix(SKColor a, SKColor b, float t) => new(
        ToByte(a.Red + (b.Red - a.Red) * t), ToByte(a.Green + (b.Green - a.Green) * t),
        ToByte(a.Blue + (b.Blue - a.Blue) * t), ToByte(a.Alpha + (b.Alpha - a.Alpha) * t));

    public static SKColor WithAlpha(SKColor c, float alpha) => c.WithAlpha(ToByte(alpha * 255));

    private static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round(v), 0, 255);
}
