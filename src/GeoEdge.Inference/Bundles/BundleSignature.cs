using System.Security.Cryptography;
using System.Text.Json;

namespace GeoEdge.Inference.Bundles;

/// <summary>manifest.sig: an ECDSA P-256 / SHA-256 signature (IEEE P1363 r||s, base64) over the exact bytes of manifest.json.</summary>
public sealed record BundleSignature
{
    /// <summary>The signature file's name inside a bundle.</summary>
    public const string FileName = "manifest.sig";

    /// <summary>The only algorithm a bundle may be signed with.</summary>
    public const string EcdsaP256Sha256 = "ECDSA-P256-SHA256";

    public required string Algorithm { get; init; }

    /// <summary>32 hex digits: the first 16 bytes of SHA-256 of the signer's SubjectPublicKeyInfo (<see cref="BundleKeyId"/>).</summary>
    public required string KeyId { get; init; }

    /// <summary>Base64 of the 64-byte IEEE P1363 signature r||s.</summary>
    public required string Signature { get; init; }

    /// <summary>Signs <paramref name="manifest"/> with a P-256 private key.</summary>
    public static BundleSignature Sign(ReadOnlySpan<byte> manifest, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        BundleKeyId.RequireP256(privateKey);
        byte[] signature = privateKey.SignData(manifest, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new BundleSignature { Algorithm = EcdsaP256Sha256, KeyId = BundleKeyId.Of(privateKey), Signature = Convert.ToBase64String(signature) };
    }

    /// <summary>Parses manifest.sig; throws <see cref="JsonException"/> or <see cref="FormatException"/> on anything but the expected shape.</summary>
    public static BundleSignature Parse(ReadOnlySpan<byte> json)
    {
        BundleSignature sig = JsonSerializer.Deserialize(json, BundleJsonContext.Default.BundleSignature)
            ?? throw new FormatException("manifest.sig is JSON null");
        if (!BundleKeyId.IsWellFormed(sig.KeyId))
        {
            throw new FormatException($"keyId '{sig.KeyId}' is not 32 lower-case hex digits");
        }

        return sig;
    }

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, BundleJsonContext.Default.BundleSignature);

    /// <summary>Whether this signature verifies over <paramref name="manifest"/> with <paramref name="publicKey"/>; false for a malformed signature.</summary>
    public bool Verifies(ReadOnlySpan<byte> manifest, ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (Algorithm != EcdsaP256Sha256)
        {
            return false;
        }

        Span<byte> raw = stackalloc byte[64];
        return Convert.TryFromBase64String(Signature, raw, out int written)
            && written == 64
            && publicKey.VerifyData(manifest, raw, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
