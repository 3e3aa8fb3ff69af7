using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GeoEdge.Fleet.Contracts;

/// <summary>Device request signatures for links where TLS ends before the fleet server: ECDSA P-256 (IEEE P1363) over a canonical string.</summary>
/// <remarks>The canonical string binds method, path+query, timestamp, nonce and the body's SHA-256, one per line, so a
/// signature cannot be moved to another request; the server rejects timestamps outside its skew window and nonces it
/// has seen within that window (replay protection).</remarks>
public static class RequestSignature
{
    /// <summary>Header carrying the device id (the key id).</summary>
    public const string KeyIdHeader = "X-GeoEdge-Key-Id";

    /// <summary>Header carrying the Unix time in seconds.</summary>
    public const string TimestampHeader = "X-GeoEdge-Timestamp";

    /// <summary>Header carrying a random nonce (base64url, at least 16 bytes).</summary>
    public const string NonceHeader = "X-GeoEdge-Nonce";

    /// <summary>Header carrying the base64 signature.</summary>
    public const string SignatureHeader = "X-GeoEdge-Signature";

    /// <summary>The bytes that are signed.</summary>
    public static byte[] CanonicalBytes(string method, string pathAndQuery, long unixSeconds, string nonce, ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        string canonical = string.Create(CultureInfo.InvariantCulture,
            $"{method.ToUpperInvariant()}\n{pathAndQuery}\n{unixSeconds}\n{nonce}\n{Convert.ToHexStringLower(hash)}");
        return Encoding.UTF8.GetBytes(canonical);
    }

    /// <summary>Signs a request with the device key; returns the base64 signature.</summary>
    public static string Sign(ECDsa key, string method, string pathAndQuery, long unixSeconds, string nonce, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] signature = key.SignData(CanonicalBytes(method, pathAndQuery, unixSeconds, nonce, body), HashAlgorithmName.SHA256);
        return Convert.ToBase64String(signature);
    }

    /// <summary>True when the signature is the device key's over this request.</summary>
    public static bool Verify(ECDsa publicKey, string method, string pathAndQuery, long unixSeconds, string nonce, ReadOnlySpan<byte> body, string signatureBase64)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        byte[] signature = new byte[Base64.GetMaxDecodedFromUtf8Length(signatureBase64.Length)];
        if (!Convert.TryFromBase64String(signatureBase64, signature, out int written))
        {
            return false;
        }

        return publicKey.VerifyData(CanonicalBytes(method, pathAndQuery, unixSeconds, nonce, body), signature.AsSpan(0, written), HashAlgorithmName.SHA256);
    }

    /// <summary>A fresh random nonce (16 bytes, base64url).</summary>
    public static string NewNonce() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
}
