using System.Buffers.Binary;

namespace ArchGan.Tests.Data;

/// <summary>Writes an uncompressed 24-bit BMP (SkiaSharp decodes BMP but cannot encode it).</summary>
internal static class BmpWriter
{
    public static byte[] Solid(int width, int height, byte r, byte g, byte b)
    {
        int rowBytes = (width * 3 + 3) & ~3, imageBytes = rowBytes * height;
        var bmp = new byte[54 + imageBytes];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(34), imageBytes);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int p = 54 + y * rowBytes + x * 3;
                bmp[p] = b;
                bmp[p + 1] = g;
                bmp[p + 2] = r;
            }
        return bmp;
    }
}
