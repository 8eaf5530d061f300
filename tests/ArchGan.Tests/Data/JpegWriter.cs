namespace ArchGan.Tests.Data;

/// <summary>
/// Writes flat-colour JPEGs by hand, for variants SkiaSharp's encoder cannot produce: CMYK (Adobe), progressive, and
/// huge dimensions without first allocating the pixels. Every 8x8 block carries only its DC coefficient (all AC zero),
/// quantisation is 1, so a component value v comes back exactly as v.
/// </summary>
internal static class JpegWriter
{
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="values">One value per component: 1 = grayscale, 3 = YCbCr, 4 = CMYK as stored (Adobe, inverted).</param>
    /// <param name="progressive">SOF2 with a DC scan then one AC scan per component, instead of baseline SOF0.</param>
    public static byte[] Flat(int width, int height, byte[] values, bool progressive = false)
    {
        int n = values.Length;
        var s = new List<byte> { 0xFF, 0xD8 };
        if (n == 4)
        {
            // APP14 "Adobe", transform 0: the components are CMYK, not YCCK.
            Segment(s, 0xEE, [.. "Adobe"u8.ToArray(), 0, 100, 0, 0, 0, 0, 0]);
        }
        Segment(s, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]); // table 0, all ones
        var sof = new List<byte> { 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)n };
        for (int c = 0; c < n; c++) sof.AddRange([(byte)(c + 1), 0x11, 0]);
        Segment(s, progressive ? (byte)0xC2 : (byte)0xC0, [.. sof]);

        // DC table 0: category 0 has the 1-bit code "0", categories 1..11 the 5-bit codes 10000..11010.
        var dcBits = new byte[16];
        dcBits[0] = 1;
        dcBits[4] = 11;
        Segment(s, 0xC4, [0x00, .. dcBits, .. Enumerable.Range(0, 12).Select(i => (byte)i)]);
        // AC table 0: only EOB (0x00), code "0".
        var acBits = new byte[16];
        acBits[0] = 1;
        Segment(s, 0xC4, [0x10, .. acBits, 0x00]);

        int blocks = ((width + 7) / 8) * ((height + 7) / 8);
        if (!progressive)
        {
            Scan(s, Enumerable.Range(0, n).ToArray(), 0, 63);
            var w = new BitWriter(s);
            for (int b = 0; b < blocks; b++)
                for (int c = 0; c < n; c++)
                {
                    WriteDc(w, b == 0 ? 8 * (values[c] - 128) : 0);
                    w.Write(0, 1); // EOB
                }
            w.Finish();
        }
        else
        {
            Scan(s, Enumerable.Range(0, n).ToArray(), 0, 0);
            var w = new BitWriter(s);
            for (int b = 0; b < blocks; b++)
                for (int c = 0; c < n; c++)
                    WriteDc(w, b == 0 ? 8 * (values[c] - 128) : 0);
            w.Finish();
            for (int c = 0; c < n; c++)
            {
                Scan(s, [c], 1, 63);
                var a = new BitWriter(s);
                for (int b = 0; b < blocks; b++) a.Write(0, 1); // EOB0: this block's band is all zero
                a.Finish();
            }
        }
        s.AddRange([0xFF, 0xD9]);
        return s.ToArray();
    }

    private static void Scan(List<byte> s, int[] components, byte start, byte end)
    {
        var sos = new List<byte> { (byte)components.Length };
        foreach (var c in components) sos.AddRange([(byte)(c + 1), 0x00]);
        sos.AddRange([start, end, 0]);
        Segment(s, 0xDA, [.. sos]);
    }

    private static void WriteDc(BitWriter w, int diff)
    {
        int magnitude = Math.Abs(diff), category = 0;
        while (magnitude >> category != 0) category++;
        if (category == 0)
        {
            w.Write(0, 1);
            return;
        }
        w.Write(0b10000 + category - 1, 5);
        w.Write(diff > 0 ? diff : diff + (1 << category) - 1, category);
    }

    private static void Segment(List<byte> s, byte marker, byte[] payload)
    {
        s.AddRange([0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2)]);
        s.AddRange(payload);
    }

    private sealed class BitWriter(List<byte> output)
    {
        private int buffer, count;

        public void Write(int value, int bits)
        {
            for (int i = bits - 1; i >= 0; i--)
            {
                buffer = (buffer << 1) | ((value >> i) & 1);
                if (++count == 8) Flush();
            }
        }

        /// <summary>Pads the last byte with 1 bits, as the standard asks.</summary>
        public void Finish()
        {
            while (count != 0) Write(1, 1);
        }

        private void Flush()
        {
            output.Add((byte)buffer);
            if (buffer == 0xFF) output.Add(0); // byte stuffing
            buffer = 0;
            count = 0;
        }
    }
}
