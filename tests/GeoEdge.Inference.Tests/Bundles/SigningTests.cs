using System.Security.Cryptography;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Tests.Bundles;

[Trait("Category", "Unit")]
public sealed class SigningTests
{
    [Fact]
    public void Key_id_of_the_dev_key_is_what_openssl_and_sha256sum_print()
    {
        // openssl pkey -pubin -in geoedge-dev.pub.pem -outform DER | sha256sum | cut -c1-32
        using ECDsa dev = BundleSigningKey.LoadPem(Fixtures.DevPrivateKey);

        Assert.Equal(Fixtures.DevKeyId, BundleKeyId.Of(dev));
        Assert.Equal([Fixtures.DevKeyId], TrustedKeys.FromPemFiles(Fixtures.DevPublicKey).KeyIds);
    }

    [Fact]
    public void Signature_is_64_bytes_of_r_and_s_and_verifies_only_the_signed_bytes()
    {
        using ECDsa key = BundleSigningKey.Generate();
        byte[] manifest = "{\"name\":\"x\"}\n"u8.ToArray();

        BundleSignature sig = BundleSignature.Sign(manifest, key);

        Assert.Equal(64, Convert.FromBase64String(sig.Signature).Length);
        Assert.Equal(BundleSignature.EcdsaP256Sha256, sig.Algorithm);
        Assert.True(sig.Verifies(manifest, key));
        manifest[^1] = (byte)' ';
        Assert.False(sig.Verifies(manifest, key));
    }

    [Fact]
    public void Signature_file_round_trips_with_camel_case_names()
    {
        using ECDsa key = BundleSigningKey.Generate();
        BundleSignature sig = BundleSignature.Sign("m"u8, key);

        string json = System.Text.Encoding.UTF8.GetString(sig.ToJsonBytes());

        Assert.StartsWith("{\n  \"algorithm\": \"ECDSA-P256-SHA256\",\n  \"keyId\": \"" + BundleKeyId.Of(key) + "\",\n  \"signature\": \"", json, StringComparison.Ordinal);
        Assert.Equal(sig, BundleSignature.Parse(sig.ToJsonBytes()));
    }

    [Fact]
    public void Trusted_keys_refuse_private_keys_and_other_curves()
    {
        using ECDsa p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<CryptographicException>(() => TrustedKeys.FromPem(File.ReadAllText(Fixtures.DevPrivateKey)));
        Assert.Throws<CryptographicException>(() => TrustedKeys.FromPem(p384.ExportSubjectPublicKeyInfoPem()));
        Assert.Throws<CryptographicException>(() => TrustedKeys.FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"));
    }

    [Fact]
    public void Trusted_key_lookup_is_by_key_id()
    {
        using ECDsa a = BundleSigningKey.Generate();
        using ECDsa b = BundleSigningKey.Generate();
        TrustedKeys keys = TrustedKeys.FromPem(a.ExportSubjectPublicKeyInfoPem(), b.ExportSubjectPublicKeyInfoPem());

        using ECDsa? found = keys.Get(BundleKeyId.Of(b));

        Assert.Equal(2, keys.Count);
        Assert.Equal(b.ExportSubjectPublicKeyInfo(), found!.ExportSubjectPublicKeyInfo());
        Assert.Null(keys.Get(new string('0', 32)));
    }
}
