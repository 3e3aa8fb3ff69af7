using System.Security.Cryptography;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Tests;

/// <summary>keygen → pack → verify-bundle through the CLI entry point, and what a tampered bundle makes verify-bundle say.</summary>
[Trait("Category", "Unit")]
public sealed class BundleVerbsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Onnx => Fixtures.Path("onnx", "add_bias.onnx");

    private string Spec => Fixtures.Path("onnx", "add_bias.manifest-spec.json");

    private (string Key, string Pub, string KeyId) Keygen(string name)
    {
        CliResult r = CliRunner.Run("keygen", "--out", _temp.File("keys"), "--name", name);
        Assert.Equal(0, r.ExitCode);
        string keyId = r.Stdout.Split('\n').Single(l => l.StartsWith("keyId:", StringComparison.Ordinal))["keyId:".Length..].Trim();
        return (_temp.File($"keys/{name}.key.pem"), _temp.File($"keys/{name}.pub.pem"), keyId);
    }

    [Fact]
    public void Keygen_writes_a_private_key_only_its_owner_can_read_and_prints_the_key_id()
    {
        (string key, string pub, string keyId) = Keygen("fleet");

        using ECDsa loaded = BundleSigningKey.LoadPem(key);
        Assert.Equal(BundleKeyId.Of(loaded), keyId);
        Assert.Equal([keyId], TrustedKeys.FromPemFiles(pub).KeyIds);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(key), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
    }

    [Fact]
    public void Keygen_never_overwrites_an_existing_key()
    {
        (string key, _, _) = Keygen("fleet");
        string before = File.ReadAllText(key);

        CliResult again = CliRunner.Run("keygen", "--out", _temp.File("keys"), "--name", "fleet");

        Assert.Equal(1, again.ExitCode);
        Assert.Equal(before, File.ReadAllText(key));
    }

    [Theory]
    [InlineData("bundle.geob")]
    [InlineData("bundle-dir")]
    public void Keygen_pack_verify_round_trip(string output)
    {
        (string key, string pub, string keyId) = Keygen("fleet");
        string extra = _temp.File("labels.txt");
        File.WriteAllText(extra, "x\ny\nz\n");

        CliResult pack = CliRunner.Run("pack", Onnx, "--spec", Spec, "--key", key, "--out", _temp.File(output), "--file", extra);
        CliResult verify = CliRunner.Run("verify-bundle", _temp.File(output), "--trusted", pub);

        Assert.Equal((0, string.Empty), (pack.ExitCode, pack.Stderr));
        Assert.Contains($"signed by:   {keyId}", pack.Stdout, StringComparison.Ordinal);
        Assert.Contains("files:       2 (add_bias.onnx, labels.txt)", pack.Stdout, StringComparison.Ordinal);
        Assert.Equal((0, string.Empty), (verify.ExitCode, verify.Stderr));
        Assert.Contains("model:       add-bias 1.2.0-rc.1+build.7 (point-cloud-classification), graph add_bias.onnx", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains($"ok signature: ECDSA-P256-SHA256 by trusted key {keyId}", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("ok files:    2 file(s), 137 bytes, sizes and SHA-256 match", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("ok contents: no unlisted files", verify.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Tampered_bundle_makes_verify_exit_1_with_one_line_naming_the_check_and_file()
    {
        (string key, string pub, _) = Keygen("fleet");
        Assert.Equal(0, CliRunner.Run("pack", Onnx, "--spec", Spec, "--key", key, "--out", _temp.File("b")).ExitCode);
        byte[] onnx = File.ReadAllBytes(_temp.File("b/add_bias.onnx"));
        onnx[10] ^= 0x20;
        File.WriteAllBytes(_temp.File("b/add_bias.onnx"), onnx);

        CliResult verify = CliRunner.Run("verify-bundle", _temp.File("b"), "--trusted", pub);

        Assert.Equal(1, verify.ExitCode);
        string line = Assert.Single(verify.StderrLines);
        Assert.StartsWith($"geoedge-model: verification failed: {_temp.File("b")}: HashMismatch: add_bias.onnx: SHA-256 is ", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, verify.Stdout);
    }

    [Fact]
    public void Bundle_signed_by_another_key_is_untrusted()
    {
        (string key, _, _) = Keygen("fleet");
        (_, string otherPub, _) = Keygen("other");
        CliRunner.Run("pack", Onnx, "--spec", Spec, "--key", key, "--out", _temp.File("b.geob"));

        CliResult verify = CliRunner.Run("verify-bundle", _temp.File("b.geob"), "--trusted", otherPub);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains(": UntrustedKey: manifest.sig: signed by key ", Assert.Single(verify.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Unsigned_bundle_passes_only_with_allow_unsigned_and_says_so()
    {
        (string key, string pub, _) = Keygen("fleet");
        CliRunner.Run("pack", Onnx, "--spec", Spec, "--key", key, "--out", _temp.File("b"));
        File.Delete(_temp.File("b/manifest.sig"));

        CliResult strict = CliRunner.Run("verify-bundle", _temp.File("b"), "--trusted", pub);
        CliResult dev = CliRunner.Run("verify-bundle", _temp.File("b"), "--allow-unsigned");

        Assert.Equal(1, strict.ExitCode);
        Assert.Contains(": SignatureMissing: manifest.sig: ", strict.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, dev.ExitCode);
        Assert.Contains("UNSIGNED:    no manifest.sig (accepted only because of --allow-unsigned)", dev.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Bundle_made_by_openssl_verifies_against_the_dev_key()
    {
        CliResult verify = CliRunner.Run("verify-bundle", Fixtures.Path("bundles", "openssl-signed"), "--trusted", Fixtures.Path("dev-keys", "geoedge-dev.pub.pem"));

        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("ok signature: ECDSA-P256-SHA256 by trusted key 7ea841fa393b6b6d1ed33a5b4fa4d9be", verify.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Spec_with_a_schema_error_fails_pack_with_the_json_path()
    {
        (string key, _, _) = Keygen("fleet");
        string spec = _temp.File("spec.json");
        File.WriteAllText(spec, File.ReadAllText(Spec).Replace("\"dtype\": \"float32\"", "\"dtype\": \"f16\"", StringComparison.Ordinal));

        CliResult pack = CliRunner.Run("pack", Onnx, "--spec", spec, "--key", key, "--out", _temp.File("b"));

        Assert.Equal(1, pack.ExitCode);
        Assert.StartsWith($"geoedge-model: {spec}: $.inputs[0].dtype: unknown dtype 'f16'", Assert.Single(pack.StderrLines), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("b")));
    }

    [Fact]
    public void Pack_with_a_public_key_instead_of_a_private_one_fails()
    {
        (_, string pub, _) = Keygen("fleet");

        CliResult pack = CliRunner.Run("pack", Onnx, "--spec", Spec, "--key", pub, "--out", _temp.File("b"));

        Assert.Equal(1, pack.ExitCode);
        Assert.Contains("not a private key PEM", pack.Stderr, StringComparison.Ordinal);
    }
}
