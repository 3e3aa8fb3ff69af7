namespace GeoEdge.Geometry.IO;

/// <summary>Finds the text header of a PCD file in its first bytes and splits it into key lines for <see cref="PcdHeaderBuilder"/>.</summary>
internal static class PcdHeaderParser
{
    /// <summary>A header longer than this without a DATA line is not a PCD header.</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    private static readonly char[] Separators = [' ', '\t', '\r'];

    /// <summary>The index just past the DATA line, or -1 when <paramref name="buffer"/> does not hold it yet.</summary>
    public static int FindEnd(ReadOnlySpan<byte> buffer, bool atEnd, string file)
    {
        int start = 0;
        while (start < buffer.Length)
        {
            int newline = buffer[start..].IndexOf((byte)'\n');
            int end = newline < 0 ? buffer.Length : start + newline;
            if (newline < 0 && !atEnd)
            {
                CheckText(buffer[start..end], start, file);
                return -1;
            }

            ReadOnlySpan<byte> line = buffer[start..end];
            CheckText(line, start, file);
            ReadOnlySpan<byte> trimmed = line.TrimStart(" \t\r"u8);
            if (trimmed.StartsWith("DATA"u8) && (trimmed.Length == 4 || trimmed[4] is (byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return newline < 0 ? end : end + 1;
            }

            start = end + 1;
        }

        return -1;
    }

    /// <summary>Parses the header bytes, which end with the DATA line.</summary>
    public static PcdHeader Parse(ReadOnlySpan<byte> header, string file)
    {
        var state = new PcdHeaderBuilder(file);
        int lineNumber = 0;
        int start = 0;
        while (start < header.Length)
        {
            int newline = header[start..].IndexOf((byte)'\n');
            int end = newline < 0 ? header.Length : start + newline;
            lineNumber++;
            string[] tokens = System.Text.Encoding.Latin1.GetString(header[start..end])
                .Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            start = end + 1;
            if (tokens.Length == 0 || tokens[0].StartsWith('#'))
            {
                continue;
            }

            state.Apply(tokens, lineNumber);
        }

        return state.Build(lineNumber, header.Length);
    }

    private static void CheckText(ReadOnlySpan<byte> line, long offset, string file)
    {
        for (int i = 0; i < line.Length; i++)
        {
            byte b = line[i];
            if ((b < 0x20 && b != (byte)'\t' && b != (byte)'\r') || b == 0x7f)
            {
                PointCloudFormatException.ThrowAtOffset(file, offset + i, $"byte 0x{b:x2} in the header: not a PCD text header");
            }
        }
    }
}
