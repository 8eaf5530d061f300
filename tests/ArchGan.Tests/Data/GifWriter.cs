namespace ArchGan.Tests.Data;

/// <summary>
/// Writes a GIF of solid-colour frames (SkiaSharp cannot encode GIF). The LZW stream sends a clear code before every
/// pixel, so the code width never grows: wasteful, but valid and simple.
/// </summary>
internal static class GifWriter
{
    /// <summary>An animated GIF, one frame per colour (all frames full size, 4-colour global palette).</summary>
    public static byte[] Animated(int width, int height, params (byte R, byte G, byte B)[] frameColors)
    {
        var s = new List<byte>();
        s.AddRange("GIF89a"u8.ToArray());
        s.AddRange([(byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8)]);
        s.AddRange([0xF1, 0, 0]); // global table, 2^(1+1) = 4 entries
        for (int i = 0; i < 4; i++)
        {
            var c = i < frameColors.Length ? frameColors[i] : ((byte)0, (byte)0, (byte)0);
            s.AddRange([c.Item1, c.Item2, c.Item3]);
        }
        // NETSCAPE2.0 looping extension, which is what makes viewers animate it.
        s.AddRange([0x21, 0xFF, 0x0B]);
        s.AddRange("NETSCAPE2.0"u8.ToArray());
        s.AddRange([3, 1, 0, 0, 0]);
        for (int f = 0; f < frameColors.Length; f++)
        {
            s.AddRange([0x21, 0xF9, 4, 0x04, 10, 0, 0, 0]); // graphic control: do not dispose, 0.1 s delay
            s.AddRange([0x2C, 0, 0, 0, 0, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0]);
            s.Add(2); // LZW minimum code size: codes are 3 bits, clear = 4, end = 5
            var data = Lzw(width * height, f);
            for (int i = 0; i < data.Count; i += 255)
            {
                int n = Math.Min(255, data.Count - i);
                s.Add((byte)n);
                s.AddRange(data.Skip(i).Take(n));
            }
            s.Add(0);
        }
        s.Add(0x3B);
        return s.ToArray();
    }

    private static List<byte> Lzw(int pixels, int index)
    {
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        void Emit(int code)
        {
            buffer |= code << bits;
            bits += 3;
            while (bits >= 8)
            {
                output.Add((byte)buffer);
                buffer >>= 8;
                bits -= 8;
            }
        }
        for (int i = 0; i < pixels; i++)
        {
            Emit(4);
            Emit(index);
        }
        Emit(5);
        if (bits > 0) output.Add((byte)buffer);
        return output;
    }
}
