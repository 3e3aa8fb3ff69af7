using System.Security.Cryptography;

namespace GeoEdge.Inference.Bundles;

/// <summary>The id of a signing key: the first 16 bytes of SHA-256 of its SubjectPublicKeyInfo DER, as 32 lower-case hex digits.</summary>
public static class BundleKeyId
{
    private const string NistP256Oid = "1.2.840.10045.3.1.7";

    public static string Of(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Of(key.ExportSubjectPublicKeyInfo());
    }

    public static string Of(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(subjectPublicKeyInfo, hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    public static bool IsWellFormed(string? keyId)
    {
        if (keyId is not { Length: 32 })
        {
            return false;
        }

        foreach (char c in keyId)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws unless <paramref name="key"/> is on NIST P-256 (secp256r1); other 256-bit curves are refused too.</summary>
    public static void RequireP256(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ECCurve curve = key.ExportParameters(includePrivateParameters: false).Curve;
        if (!curve.IsNamed || curve.Oid.Value != NistP256Oid)
        {
            throw new CryptographicException($"bundle keys must be ECDSA on NIST P-256, got curve '{curve.Oid.FriendlyName ?? curve.Oid.Value ?? "explicit"}'");
        }
    }
}
