using GeoEdge.Host.Models;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Host.Tests.Models;

[Trait("Category", "Integration")]
public sealed class ModelStoreInstallTests
{
    [Fact]
    public async Task A_bundle_directory_is_installed_as_a_verified_copy_and_a_second_install_is_a_no_op()
    {
        using var temp = new TempDirectory();
        using ModelStore store = StoreFixtures.NewStore(temp.Path);

        InstallResult first = await store.InstallAsync(StoreFixtures.ShapesBundle);
        InstallResult again = await store.InstallAsync(StoreFixtures.ShapesBundle);

        string installed = Path.Combine(temp.Path, "models", StoreFixtures.Shapes, StoreFixtures.ShippedVersion);
        Assert.Equal(new InstallResult(StoreFixtures.Shapes, StoreFixtures.ShippedVersion, first.ManifestSha256, false), first);
        Assert.True(again.AlreadyInstalled);
        Assert.Equal(["manifest.json", "manifest.sig", "model.onnx"], Directory.GetFiles(installed).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using ModelBundle reopened = ModelBundle.Open(installed, StoreFixtures.Keys);
        Assert.Equal(first.ManifestSha256, reopened.ManifestSha256);
        Assert.Empty(StoreFixtures.Leftovers(temp.Path));
        ModelSummary summary = Assert.Single(store.List());
        Assert.Equal([StoreFixtures.ShippedVersion], summary.Installed);
        Assert.Null(summary.Active);
    }

    [Fact]
    public async Task A_geob_archive_is_unpacked_into_the_store_and_its_staging_removed()
    {
        using var temp = new TempDirectory();
        PackedBundle packed = StoreFixtures.PackShapes(temp.File("shapes-2.0.0.geob"), "2.0.0");
        using ModelStore store = StoreFixtures.NewStore(temp.File("state"));

        InstallResult result = await store.InstallAsync(packed.Path);

        Assert.Equal(packed.ManifestSha256, result.ManifestSha256);
        Assert.True(File.Exists(Path.Combine(temp.Path, "state", "models", StoreFixtures.Shapes, "2.0.0", "model.onnx")));
        Assert.Empty(StoreFixtures.Leftovers(temp.File("state")));
    }

    [Fact]
    public async Task A_tampered_bundle_is_refused_naming_the_file_and_nothing_is_installed()
    {
        using var temp = new TempDirectory();
        string copy = temp.File("tampered");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(StoreFixtures.ShapesBundle))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        byte[] onnx = File.ReadAllBytes(Path.Combine(copy, "model.onnx"));
        onnx[^1] ^= 0x01;
        File.WriteAllBytes(Path.Combine(copy, "model.onnx"), onnx);
        using ModelStore store = StoreFixtures.NewStore(temp.File("state"));

        BundleVerificationException e = await Assert.ThrowsAsync<BundleVerificationException>(() => store.InstallAsync(copy));

        Assert.Equal(BundleCheck.HashMismatch, e.Check);
        Assert.Equal("model.onnx", e.Subject);
        Assert.Contains("model.onnx", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(temp.File("state"), "models", StoreFixtures.Shapes)));
        Assert.Empty(StoreFixtures.Leftovers(temp.File("state")));
    }

    [Fact]
    public async Task A_version_already_installed_with_other_content_is_refused()
    {
        using var temp = new TempDirectory();
        PackedBundle repacked = StoreFixtures.PackShapes(temp.File("same-version"), StoreFixtures.ShippedVersion, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using ModelStore store = StoreFixtures.NewStore(temp.File("state"));
        InstallResult original = await store.InstallAsync(StoreFixtures.ShapesBundle);

        ModelStoreException e = await Assert.ThrowsAsync<ModelStoreException>(() => store.InstallAsync(repacked.Path));

        Assert.Contains("already installed with a different manifest", e.Message, StringComparison.Ordinal);
        Assert.Equal(repacked.Path, e.Subject);
        using ModelBundle kept = ModelBundle.Open(Path.Combine(temp.File("state"), "models", StoreFixtures.Shapes, StoreFixtures.ShippedVersion), StoreFixtures.Keys);
        Assert.Equal(original.ManifestSha256, kept.ManifestSha256);
    }
}
