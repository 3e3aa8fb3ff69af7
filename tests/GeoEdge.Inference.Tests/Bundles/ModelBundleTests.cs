using System.Security.Cryptography;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Tests.Bundles;

[Trait("Category", "Unit")]
public sealed class ModelBundleTests
{
    private const string OnnxSha256 = "41dbe84c021f43f498a6bce578e3e4e6b0d6eee47b19d715c1c748cabb614928";

    [Fact]
    public void Signed_directory_opens_with_manifest_files_and_identity()
    {
        using var temp = new TempDirectory();
        using ECDsa key = BundleSigningKey.Generate();
        PackedBundle packed = TestBundles.Pack(temp.File("add-bias"), key);

        using ModelBundle bundle = ModelBundle.Open(packed.Path, TestBundles.Trusting(key));

        Assert.Equal(packed.Path, bundle.Directory);
        Assert.Equal(BundleKeyId.Of(key), bundle.SignerKeyId);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(temp.File("add-bias/manifest.json")))), bundle.ManifestSha256);
        Assert.Equal(packed.ManifestSha256, bundle.ManifestSha256);
        BundleManifest m = bundle.Manifest;
        Assert.Equal(("add-bias", "1.2.0-rc.1+build.7", BundleTasks.PointCloudClassification), (m.Name, m.Version, m.Task));
        Assert.Equal(TestBundles.Created, m.Created);
        Assert.Equal("add_bias.onnx", m.Model);
        BundleFile onnx = Assert.Single(m.Files).Value;
        Assert.Equal((OnnxSha256, 131L), (onnx.Sha256, onnx.Size));
        Assert.Equal(temp.File("add-bias/add_bias.onnx"), bundle.ModelPath);
    }

    [Fact]
    public void Manifest_sections_are_typed_and_task_specific_fields_survive()
    {
        using var temp = new TempDirectory();
        using ECDsa key = BundleSigningKey.Generate();
        using ModelBundle bundle = ModelBundle.Open(TestBundles.Pack(temp.File("b"), key).Path, TestBundles.Trusting(key));
        BundleManifest m = bundle.Manifest;

        Assert.Equal([TensorDimension.Named("N"), TensorDimension.Fixed(3)], m.Inputs[0].Shape);
        Assert.True(m.Outputs[0].Shape[0].IsDynamic);
        Assert.Null(m.Outputs[0].Shape[0].Symbol);
        Assert.Equal((1024, "fps", "unit-sphere", 16, false), (m.Preprocessing!.Points, m.Preprocessing.Sampling, m.Preprocessing.Normalize, m.Preprocessing.Knn!.K, m.Preprocessing.Knn.Loop));
        Assert.Equal(0.01, m.Preprocessing.Extensions!["jitterSigma"].GetDouble());
        Assert.Equal(["x", "y", "z"], m.Labels);
        Assert.Equal(1.5, m.Calibration!.Temperature);
        Assert.Equal(("energy", -4.25), (m.Ood!.Score, m.Ood.Threshold));
        Assert.Equal(("CC0-1.0", 7L, 800L), (m.Dataset.Licence, m.Dataset.Seed, m.Dataset.Sizes!["train"]));
        Assert.Equal((40, 0.93, "adam"), (m.Training!.Epochs, m.Training.Accuracy, m.Training.Extensions!["optimizer"].GetString()));
        Assert.Equal(0.91, m.Evaluation!.Metrics["accuracy"]);
        Assert.Equal("kept as written", m.Extensions!["vendor"].GetProperty("note").GetString());
        Assert.Equal((1L, 2L, 0L, "rc.1", "build.7"), (m.ParsedVersion.Major, m.ParsedVersion.Minor, m.ParsedVersion.Patch, m.ParsedVersion.PreRelease, m.ParsedVersion.Build));
    }

    [Fact]
    public void Geob_opens_into_a_private_directory_that_dispose_removes()
    {
        using var temp = new TempDirectory();
        using ECDsa key = BundleSigningKey.Generate();
        PackedBundle packed = TestBundles.Pack(temp.File("add-bias.geob"), key);
        string extracted;

        using (ModelBundle bundle = ModelBundle.Open(packed.Path, TestBundles.Trusting(key), new BundleOpenOptions { ExtractionRoot = temp.Path }))
        {
            extracted = bundle.Directory;
            Assert.StartsWith(temp.Path, extracted, StringComparison.Ordinal);
            Assert.Equal(packed.ManifestSha256, bundle.ManifestSha256);
            Assert.Equal(File.ReadAllBytes(Fixtures.Onnx), File.ReadAllBytes(bundle.ModelPath));
            Assert.Equal(["add_bias.onnx"], Directory.GetFiles(extracted).Select(Path.GetFileName));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(extracted));
            }
        }

        Assert.False(Directory.Exists(extracted));
    }

    [Fact]
    public void Bundle_made_by_openssl_and_python_opens_with_the_dev_key()
    {
        // Signed outside GeoEdge (tests/fixtures/bundles/make_openssl_bundle.py): the format is what the docs say, not what our code happens to do.
        using ModelBundle bundle = ModelBundle.Open(Fixtures.Path("bundles", "openssl-signed"), TrustedKeys.FromPemFiles(Fixtures.DevPublicKey));

        Assert.Equal(Fixtures.DevKeyId, bundle.SignerKeyId);
        Assert.Equal("6b989eca14edc41af2c12ba50eb0fbc3fd2177da9296d85947ce1f9455358439", bundle.ManifestSha256);
        Assert.Equal("add-bias-openssl", bundle.Manifest.Name);
    }

    [Fact]
    public void Dev_key_signs_bundles_the_dev_public_key_verifies()
    {
        using var temp = new TempDirectory();
        using ECDsa dev = BundleSigningKey.LoadPem(Fixtures.DevPrivateKey);
        PackedBundle packed = TestBundles.Pack(temp.File("b.geob"), dev);

        using ModelBundle bundle = ModelBundle.Open(packed.Path, TrustedKeys.FromPemFiles(Fixtures.DevPublicKey));

        Assert.Equal((Fixtures.DevKeyId, Fixtures.DevKeyId), (packed.KeyId, bundle.SignerKeyId));
    }

    [Fact]
    public void Unsigned_bundle_opens_only_with_the_developer_switch()
    {
        using var temp = new TempDirectory();
        using ECDsa key = BundleSigningKey.Generate();
        string dir = TestBundles.Pack(temp.File("b"), key).Path;
        File.Delete(Path.Combine(dir, BundleSignature.FileName));

        Assert.Equal(BundleCheck.SignatureMissing, TestBundles.OpenFails(dir, TestBundles.Trusting(key)).Check);
        using ModelBundle bundle = ModelBundle.Open(dir, TrustedKeys.None, new BundleOpenOptions { AllowUnsigned = true });
        Assert.False(bundle.IsSigned);
        Assert.Null(bundle.SignerKeyId);
    }

    [Fact]
    public void Get_file_path_refuses_names_the_manifest_does_not_list()
    {
        using var temp = new TempDirectory();
        using ECDsa key = BundleSigningKey.Generate();
        using ModelBundle bundle = ModelBundle.Open(TestBundles.Pack(temp.File("b"), key).Path, TestBundles.Trusting(key));

        Assert.Throws<ArgumentException>(() => bundle.GetFilePath("manifest.json"));
        Assert.Throws<ArgumentException>(() => bundle.GetFilePath("../add_bias.onnx"));
        Assert.Equal(Path.Combine(bundle.Directory, "add_bias.onnx"), bundle.GetFilePath("add_bias.onnx"));
    }
}
