using System.Buffers.Binary;
using System.Text;

namespace GeoEdge.Benchmarks;

/// <summary>Reads a little-endian float32 [N,3] C-order .npy file, the format the comparison scripts write.</summary>
internal static class NpyFile
{
    public static float[] ReadPositions(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException($"{path}: not a .npy file");
        }

        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int dataStart = (major == 1 ? 10 : 12) + headerLength;
        string header = Encoding.ASCII.GetString(bytes, major == 1 ? 10 : 12, headerLength);
        if (!header.Contains("'descr': '<f4'", StringComparison.Ordinal) || header.Contains("'fortran_order': True", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: expected little-endian float32 in C order, header {header.Trim()}");
        }

        var positions = new float[(bytes.Length - dataStart) / 4];
        Buffer.BlockCopy(bytes, dataStart, positions, 0, positions.Length * 4);
        if (positions.Length % 3 != 0)
        {
            throw new InvalidDataException($"{path}: {positions.Length} floats is not [N,3]");
        }

        return positions;
    }
}
