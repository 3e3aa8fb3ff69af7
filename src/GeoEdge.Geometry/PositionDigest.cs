using System.Buffers.Binary;
using System.Security.Cryptography;

namespace GeoEdge.Geometry;

/// <summary>SHA-256 of a cloud's positions, stable across formats: x,y,z of every point in order, float32 LE, NaN as 0x7FC00000.</summary>
/// <remarks>
/// Two files hold the same geometry exactly when their digests match, whatever their format or
/// encoding; NaN payloads differ between writers, so every NaN is hashed as the canonical quiet NaN.
/// </remarks>
public static class PositionDigest
{
    private const uint CanonicalNaN = 0x7FC00000;

    public static string Sha256Hex(PointCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> chunk = stackalloc byte[4096];
        ReadOnlySpan<float> positions = cloud.Positions;
        int filled = 0;
        for (int i = 0; i < positions.Length; i++)
        {
            float value = positions[i];
            uint bits = float.IsNaN(value) ? CanonicalNaN : BitConverter.SingleToUInt32Bits(value);
            BinaryPrimitives.WriteUInt32LittleEndian(chunk[filled..], bits);
            filled += 4;
            if (filled == chunk.Length)
            {
                hash.AppendData(chunk);
                filled = 0;
            }
        }

        hash.AppendData(chunk[..filled]);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
