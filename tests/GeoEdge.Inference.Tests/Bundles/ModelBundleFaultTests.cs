using System.Security.Cryptography;
using System.Text;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Tests.Bundles;

/// <summary>Each way a bundle directory can be wrong fails with its own <see cref="BundleCheck"/> and names the bundle and the file or field.</summary>
[Trait("Category", "Fault")]
public sealed class ModelBundleFaultTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ECDsa _key = BundleSigningKey.Generate();
    private readonly string _bundle;

    public ModelBundleFaultTests()
    {
        _bundle = TestBundles.Pack(_temp.File("add-bias"), _key).Path;
    }

    private TrustedKeys Trusted => TestBundles.Trusting(_key);

    private string InBundle(string name) => Path.Combine(_bundle, name);

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void One_flipped_byte_in_the_onnx_file_is_a_hash_mismatch()
    {
        byte[] onnx = File.ReadAllBytes(InBundle("add_bias.onnx"));
        onnx[100] ^= 0x01;
        File.WriteAllBytes(InBundle("add_bias.onnx"), onnx);

        BundleVerificationException e = TestBundles.OpenFails(_bundle, Trusted);

        Assert.Equal((BundleCheck.HashMismatch, _bundle, "add_bias.onnx"), (e.Check, e.Bundle, e.Subject));
        Assert.Equal(
            $"{_bundle}: HashMismatch: add_bias.onnx: SHA-256 is {Convert.ToHexStringLower(SHA256.HashData(onnx))}, the manifest says 41dbe84c021f43f498a6bce578e3e4e6b0d6eee47b19d715c1c748cabb614928",
            e.Message);
    }

    [Fact]
    public void Truncated_file_is_a_size_mismatch()
    {
        byte[] onnx = File.ReadAllBytes(InBundle("add_bias.onnx"));
        File.WriteAllBytes(InBundle("add_bias.onnx"), onnx[..^1]);

        BundleVerificationException e = TestBundles.OpenFails(_bundle, Trusted);

        Assert.Equal(BundleCheck.FileSizeMismatch, e.Check);
        Assert.Equal($"{_bundle}: FileSizeMismatch: add_bias.onnx: 130 bytes, the manifest says 131", e.Message);
    }

    [Fact]
    public void Manifest_edited_after_signing_fails_the_signature()
    {
        string text = File.ReadAllText(InBundle("manifest.json"));
        File.WriteAllText(InBundle("manifest.json"), text.Replace("\"temperature\": 1.5", "\"temperature\": 1.25", StringComparison.Ordinal));

        BundleVerificationException e = TestBundles.OpenFails(_bundle, Trusted);

        Assert.Equal((BundleCheck.SignatureInvalid, "manifest.sig"), (e.Check, e.Subject));
        Assert.Contains("does not match manifest.json's bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_added_space_in_the_manifest_fails_the_signature()
    {
        // The signature covers bytes, not JSON meaning: no canonicalisation to get wrong.
        File.AppendAllText(InBundle("manifest.json"), " ");

        Assert.Equal(BundleCheck.SignatureInvalid, TestBundles.OpenFails(_bundle, Trusted).Check);
    }

    [Fact]
    public void Signed_by_an_untrusted_key_names_the_key()
    {
        using ECDsa other = BundleSigningKey.Generate();

        BundleVerificationException e = TestBundles.OpenFails(_bundle, TestBundles.Trusting(other));

        Assert.Equal(BundleCheck.UntrustedKey, e.Check);
        Assert.Equal($"{_bundle}: UntrustedKey: manifest.sig: signed by key {BundleKeyId.Of(_key)}, which is not among the 1 trusted key(s)", e.Message);
    }

    [Fact]
    public void Signature_claiming_a_trusted_key_id_but_made_by_another_key_is_invalid()
    {
        using ECDsa attacker = BundleSigningKey.Generate();
        byte[] manifest = File.ReadAllBytes(InBundle("manifest.json"));
        BundleSignature forged = BundleSignature.Sign(manifest, attacker) with { KeyId = BundleKeyId.Of(_key) };
        File.WriteAllBytes(InBundle("manifest.sig"), forged.ToJsonBytes());

        Assert.Equal(BundleCheck.SignatureInvalid, TestBundles.OpenFails(_bundle, Trusted).Check);
    }

    [Theory]
    [InlineData("""{"algorithm":"ECDSA-P384-SHA384","keyId":"KEY","signature":"AAAA"}""", "algorithm 'ECDSA-P384-SHA384' is not ECDSA-P256-SHA256")]
    [InlineData("""{"algorithm":"ECDSA-P256-SHA256","keyId":"abc","signature":"AAAA"}""", "malformed: keyId 'abc' is not 32 lower-case hex digits")]
    [InlineData("""{"algorithm":"ECDSA-P256-SHA256","keyId":"KEY","signature":"not base64!"}""", "does not match")]
    [InlineData("""{"algorithm":"ECDSA-P256-SHA256","keyId":"KEY"}""", "malformed: ")]
    [InlineData("""{"algorithm":"ECDSA-P256-SHA256","keyId":"KEY","signature":"AAAA","extra":1}""", "malformed: ")]
    [InlineData("not json", "malformed: ")]
    public void Malformed_signature_file_is_invalid(string sig, string detail)
    {
        File.WriteAllText(InBundle("manifest.sig"), sig.Replace("KEY", BundleKeyId.Of(_key), StringComparison.Ordinal));

        BundleVerificationException e = TestBundles.OpenFails(_bundle, Trusted);

        Assert.Equal(BundleCheck.SignatureInvalid, e.Check);
        Assert.Contains(detail, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_signature_fails_unless_unsigned_bundles_are_allowed()
    {
        File.Delete(InBundle("manifest.sig"));

        Assert.Equal(BundleCheck.SignatureMissing, TestBundles.OpenFails(_bundle, Trusted).Check);
        using ModelBundle bundle = ModelBundle.Open(_bundle, Trusted, new BundleOpenOptions { AllowUnsigned = true });
        Assert.False(bundle.IsSigned);
    }

    [Fact]
    public void Developer_switch_still_refuses_a_bad_signature()
    {
        File.AppendAllText(InBundle("manifest.json"), "\n");

        Assert.Equal(BundleCheck.SignatureInvalid, TestBundles.OpenFails(_bundle, Trusted, new BundleOpenOptions { AllowUnsigned = true }).Check);
    }

    [Fact]
    public void Unlisted_file_is_refused_even_in_a_subdirectory()
    {
        Directory.CreateDirectory(InBundle("extra"));
        File.WriteAllText(InBundle("extra/payload.so"), "x");

        BundleVerificationException e = TestBundles.OpenFails(_bundle, Trusted);

        Assert.Equal((BundleCheck.UnlistedFile, "extra/payload.so"), (e.Check, e.Subject));
    }

    [Fact]
    public void Listed_file_that_is_absent_is_missing()
    {
        File.Delete(InBundle("add_bias.onnx"));

        BundleVerificationException e = TestBundles.OpenFails(_bundle, Trusted);

        Assert.Equal((BundleCheck.FileMissing, "add_bias.onnx"), (e.Check, e.Subject));
    }

    [Fact]
    public void Listed_file_that_is_a_symbolic_link_is_unsafe()
    {
        string outside = _temp.File("outside.onnx");
        File.Move(InBundle("add_bias.onnx"), outside);
        File.CreateSymbolicLink(InBundle("add_bias.onnx"), outside);

        BundleVerificationException e = TestBundles.OpenFails(_bundle, Trusted);

        Assert.Equal((BundleCheck.ArchiveUnsafe, "add_bias.onnx"), (e.Check, e.Subject));
    }

    [Fact]
    public void Malformed_json_is_reported_before_the_signature()
    {
        File.WriteAllText(InBundle("manifest.json"), "{\"name\": \"x\",");

        BundleVerificationException e = TestBundles.OpenFails(_bundle, Trusted);

        Assert.Equal((BundleCheck.ManifestMalformed, "manifest.json"), (e.Check, e.Subject));
    }

    [Fact]
    public void Repeated_json_property_is_malformed()
    {
        // Two parsers could disagree on which "model" wins; refusing duplicates leaves nothing to disagree on.
        string text = File.ReadAllText(InBundle("manifest.json"));
        File.WriteAllText(InBundle("manifest.json"), text.Replace("\"model\": \"add_bias.onnx\",", "\"model\": \"add_bias.onnx\", \"model\": \"other.onnx\",", StringComparison.Ordinal));

        Assert.Equal(BundleCheck.ManifestMalformed, TestBundles.OpenFails(_bundle, Trusted).Check);
    }

    [Fact]
    public void Schema_violation_names_the_json_path()
    {
        string text = File.ReadAllText(InBundle("manifest.json"));
        File.WriteAllText(InBundle("manifest.json"), text.Replace("\"dtype\": \"float32\"", "\"dtype\": \"f16\"", StringComparison.Ordinal));

        BundleVerificationException e = TestBundles.OpenFails(_bundle, Trusted);

        Assert.Equal((BundleCheck.SchemaViolation, "$.inputs[0].dtype"), (e.Check, e.Subject));
        Assert.StartsWith($"{_bundle}: SchemaViolation: $.inputs[0].dtype: unknown dtype 'f16'", e.Message, StringComparison.Ordinal);
        Assert.Contains("(and 1 more: $.outputs[0].dtype: unknown dtype 'f16'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_manifest_and_missing_bundle_are_told_apart()
    {
        File.Delete(InBundle("manifest.json"));

        Assert.Equal(BundleCheck.ManifestMissing, TestBundles.OpenFails(_bundle, Trusted).Check);
        Assert.Equal(BundleCheck.BundleMissing, TestBundles.OpenFails(_temp.File("nothing-here"), Trusted).Check);
    }

    [Fact]
    public void Manifest_larger_than_the_limit_is_not_read()
    {
        long size = new FileInfo(InBundle("manifest.json")).Length;

        BundleVerificationException e = TestBundles.OpenFails(_bundle, Trusted, new BundleOpenOptions { MaxManifestBytes = size - 1 });

        Assert.Equal((BundleCheck.SizeLimitExceeded, "manifest.json"), (e.Check, e.Subject));
    }

    [Fact]
    public void Nothing_but_the_failed_check_is_reported_in_one_line()
    {
        File.WriteAllBytes(InBundle("add_bias.onnx"), Encoding.ASCII.GetBytes(new string('x', 131)));

        BundleVerificationException e = TestBundles.OpenFails(_bundle, Trusted);

        Assert.DoesNotContain('\n', e.Message);
    }
}
