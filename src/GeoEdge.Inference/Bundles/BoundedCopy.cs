using System.Buffers;
using System.Security.Cryptography;

namespace GeoEdge.Inference.Bundles;

/// <summary>Reads a stream to its end while hashing it, refusing to go past a byte limit (so a lying size cannot fill a disk).</summary>
internal static class BoundedCopy
{
    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> (or nowhere) and returns the byte count and SHA-256 hex;
    /// the count is <paramref name="limit"/> + 1 when the source holds more than <paramref name="limit"/> bytes.</summary>
    public static (long Length, string Sha256) Run(Stream source, Stream? destination, long limit)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long total = 0;
            int read;
            // Ask for one byte past the limit so an oversized source is detected without reading all of it.
            while ((read = source.Read(buffer, 0, limit - total >= buffer.Length ? buffer.Length : (int)(limit - total) + 1)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    return (total, string.Empty);
                }

                hash.AppendData(buffer, 0, read);
                destination?.Write(buffer, 0, read);
            }

            return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>All of <paramref name="source"/> in memory, or null when it holds more than <paramref name="limit"/> bytes.</summary>
    public static byte[]? ReadAll(Stream source, long limit)
    {
        using var memory = new MemoryStream();
        (long length, _) = Run(source, memory, limit);
        return length > limit ? null : memory.ToArray();
    }
}
