using System.Security.Cryptography;
using System.Text.Json;

namespace GeoEdge.Inference.Bundles;

/// <summary>A manifest that passed parse, schema and signature checks, with its identity and signer.</summary>
internal sealed record VerifiedManifest(BundleManifest Manifest, string Sha256, string? SignerKeyId)
{
    /// <summary>manifest.sig is about 200 bytes; anything far larger is not one.</summary>
    public const int MaxSignatureBytes = 4096;

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 32 };

    /// <summary>Runs checks 1-4 (manifest present, parseable, schema, signature by a trusted key) on bytes already read.</summary>
    public static VerifiedManifest Verify(string bundle, byte[]? manifest, byte[]? signature, TrustedKeys trustedKeys, BundleOpenOptions options)
    {
        if (manifest is null)
        {
            throw new BundleVerificationException(BundleCheck.ManifestMissing, bundle, BundleManifest.FileName, "the bundle has no manifest");
        }

        BundleManifest parsed = Parse(bundle, manifest);
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(manifest));
        if (signature is null)
        {
            return options.AllowUnsigned
                ? new VerifiedManifest(parsed, sha256, null)
                : throw new BundleVerificationException(BundleCheck.SignatureMissing, bundle, BundleSignature.FileName, "the bundle is unsigned (unsigned bundles open only with the developer switch AllowUnsigned)");
        }

        return new VerifiedManifest(parsed, sha256, CheckSignature(bundle, manifest, signature, trustedKeys));
    }

    private static BundleManifest Parse(string bundle, byte[] manifest)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(manifest, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new BundleVerificationException(BundleCheck.ManifestMalformed, bundle, BundleManifest.FileName, e.Message, e);
        }

        using (document)
        {
            IReadOnlyList<ManifestError> errors = ManifestValidator.Validate(document.RootElement);
            if (errors.Count > 0)
            {
                string more = errors.Count == 1 ? string.Empty : $" (and {errors.Count - 1} more: {string.Join("; ", errors.Skip(1).Take(4))})";
                throw new BundleVerificationException(BundleCheck.SchemaViolation, bundle, errors[0].Path, errors[0].Message + more);
            }

            try
            {
                return document.RootElement.Deserialize(BundleJsonContext.Default.BundleManifest)
                    ?? throw new JsonException("manifest is JSON null");
            }
            catch (JsonException e)
            {
                // The validator accepted it, so this is a validator gap; still a schema violation, never a crash.
                throw new BundleVerificationException(BundleCheck.SchemaViolation, bundle, e.Path ?? "$", e.Message, e);
            }
        }
    }

    private static string CheckSignature(string bundle, byte[] manifest, byte[] signature, TrustedKeys trustedKeys)
    {
        BundleSignature sig;
        try
        {
            sig = BundleSignature.Parse(signature);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new BundleVerificationException(BundleCheck.SignatureInvalid, bundle, BundleSignature.FileName, $"malformed: {e.Message}", e);
        }

        if (sig.Algorithm != BundleSignature.EcdsaP256Sha256)
        {
            throw new BundleVerificationException(BundleCheck.SignatureInvalid, bundle, BundleSignature.FileName, $"algorithm '{sig.Algorithm}' is not {BundleSignature.EcdsaP256Sha256}");
        }

        using ECDsa? key = trustedKeys.Get(sig.KeyId);
        if (key is null)
        {
            throw new BundleVerificationException(BundleCheck.UntrustedKey, bundle, BundleSignature.FileName, $"signed by key {sig.KeyId}, which is not among the {trustedKeys.Count} trusted key(s)");
        }

        if (!sig.Verifies(manifest, key))
        {
            throw new BundleVerificationException(BundleCheck.SignatureInvalid, bundle, BundleSignature.FileName, $"the signature by key {sig.KeyId} does not match manifest.json's bytes");
        }

        return sig.KeyId;
    }
}
