using System.IO.Compression;
using System.Security.Cryptography;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Tests.Bundles;

/// <summary>.geob archives: unsafe names, links, duplicates and sizes are refused from the central directory, before anything is extracted.</summary>
[Trait("Category", "Fault")]
public sealed class ArchiveBundleTests : IDisposable
{
    private const int SymbolicLinkAttributes = unchecked((int)0xA1FF0000);

    private readonly TempDirectory _temp = new();
    private readonly ECDsa _key = BundleSigningKey.Generate();
    private readonly string _extractRoot;
    private readonly byte[] _manifest;
    private readonly byte[] _signature;
    private readonly byte[] _onnx;

    public ArchiveBundleTests()
    {
        string dir = TestBundles.Pack(_temp.File("good"), _key).Path;
        _manifest = File.ReadAllBytes(Path.Combine(dir, "manifest.json"));
        _signature = File.ReadAllBytes(Path.Combine(dir, "manifest.sig"));
        _onnx = File.ReadAllBytes(Path.Combine(dir, "add_bias.onnx"));
        _extractRoot = Directory.CreateDirectory(_temp.File("extract")).FullName;
    }

    private BundleOpenOptions Options => new() { ExtractionRoot = _extractRoot };

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Hand_made_archive_of_the_three_files_opens()
    {
        string geob = Zip(("manifest.json", _manifest, 0), ("manifest.sig", _signature, 0), ("add_bias.onnx", _onnx, 0));

        using ModelBundle bundle = ModelBundle.Open(geob, TestBundles.Trusting(_key), Options);

        Assert.Equal(_onnx, File.ReadAllBytes(bundle.ModelPath));
    }

    [Theory]
    [InlineData("../add_bias.onnx")]
    [InlineData("../../etc/cron.d/x")]
    [InlineData("/tmp/add_bias.onnx")]
    [InlineData("sub/../../add_bias.onnx")]
    [InlineData("sub\\..\\..\\add_bias.onnx")]
    [InlineData("C:/add_bias.onnx")]
    [InlineData("./add_bias.onnx")]
    public void Zip_slip_and_absolute_entry_names_are_refused_before_extraction(string name)
    {
        string geob = Zip(("manifest.json", _manifest, 0), ("manifest.sig", _signature, 0), ("add_bias.onnx", _onnx, 0), (name, _onnx, 0));

        BundleVerificationException e = TestBundles.OpenFails(geob, TestBundles.Trusting(_key), Options);

        Assert.Equal((BundleCheck.ArchiveUnsafe, name), (e.Check, e.Subject));
        Assert.Empty(Directory.GetFileSystemEntries(_extractRoot));
    }

    [Fact]
    public void Symbolic_link_entry_is_refused()
    {
        string geob = Zip(("manifest.json", _manifest, 0), ("manifest.sig", _signature, 0), ("add_bias.onnx", "/etc/passwd"u8.ToArray(), SymbolicLinkAttributes));

        BundleVerificationException e = TestBundles.OpenFails(geob, TestBundles.Trusting(_key), Options);

        Assert.Equal((BundleCheck.ArchiveUnsafe, "add_bias.onnx"), (e.Check, e.Subject));
    }

    [Theory]
    [InlineData("add_bias.onnx")]
    [InlineData("ADD_BIAS.onnx")]
    [InlineData("manifest.json")]
    public void Duplicate_entry_is_refused(string second)
    {
        string geob = Zip(("manifest.json", _manifest, 0), ("manifest.sig", _signature, 0), ("add_bias.onnx", _onnx, 0), (second, _manifest, 0));

        BundleVerificationException e = TestBundles.OpenFails(geob, TestBundles.Trusting(_key), Options);

        Assert.Equal((BundleCheck.ArchiveUnsafe, second), (e.Check, e.Subject));
        Assert.EndsWith("appears twice (names compare case-insensitively)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_larger_than_the_per_file_limit_is_refused_before_anything_is_read()
    {
        // 1 MiB of zeros compresses to about 1 KiB: the limit applies to the uncompressed size the central directory declares.
        string geob = Zip(("manifest.json", _manifest, 0), ("manifest.sig", _signature, 0), ("add_bias.onnx", _onnx, 0), ("bomb.bin", new byte[1 << 20], 0));

        BundleVerificationException e = TestBundles.OpenFails(geob, TestBundles.Trusting(_key), Options with { MaxFileBytes = 64 << 10 });

        Assert.Equal(BundleCheck.SizeLimitExceeded, e.Check);
        Assert.Equal($"{geob}: SizeLimitExceeded: bomb.bin: 1048576 bytes uncompressed ({1048576 + _manifest.Length + _signature.Length + _onnx.Length} in all) exceeds the limits of 65536 per entry, 2147483648 in all", e.Message);
        Assert.True(new FileInfo(geob).Length < 8192);
        Assert.Empty(Directory.GetFileSystemEntries(_extractRoot));
    }

    [Fact]
    public void Sum_of_entries_larger_than_the_total_limit_is_refused()
    {
        string geob = Zip(("manifest.json", _manifest, 0), ("manifest.sig", _signature, 0), ("add_bias.onnx", _onnx, 0));
        long limit = _manifest.Length + _signature.Length + _onnx.Length - 1;

        BundleVerificationException e = TestBundles.OpenFails(geob, TestBundles.Trusting(_key), Options with { MaxTotalBytes = limit });

        Assert.Equal((BundleCheck.SizeLimitExceeded, "add_bias.onnx"), (e.Check, e.Subject));
    }

    [Fact]
    public void Too_many_entries_is_refused()
    {
        string geob = Zip(("manifest.json", _manifest, 0), ("manifest.sig", _signature, 0), ("add_bias.onnx", _onnx, 0));

        Assert.Equal(BundleCheck.SizeLimitExceeded, TestBundles.OpenFails(geob, TestBundles.Trusting(_key), Options with { MaxEntries = 2 }).Check);
    }

    [Fact]
    public void Unlisted_entry_is_refused_and_nothing_is_extracted()
    {
        string geob = Zip(("manifest.json", _manifest, 0), ("manifest.sig", _signature, 0), ("add_bias.onnx", _onnx, 0), ("run.sh", "#!/bin/sh"u8.ToArray(), 0));

        BundleVerificationException e = TestBundles.OpenFails(geob, TestBundles.Trusting(_key), Options);

        Assert.Equal((BundleCheck.UnlistedFile, "run.sh"), (e.Check, e.Subject));
        Assert.Empty(Directory.GetFileSystemEntries(_extractRoot));
    }

    [Fact]
    public void Tampered_entry_is_a_hash_mismatch_and_its_extraction_is_removed()
    {
        byte[] tampered = (byte[])_onnx.Clone();
        tampered[^1] ^= 0xFF;
        string geob = Zip(("manifest.json", _manifest, 0), ("manifest.sig", _signature, 0), ("add_bias.onnx", tampered, 0));

        BundleVerificationException e = TestBundles.OpenFails(geob, TestBundles.Trusting(_key), Options);

        Assert.Equal((BundleCheck.HashMismatch, "add_bias.onnx"), (e.Check, e.Subject));
        Assert.Empty(Directory.GetFileSystemEntries(_extractRoot));
    }

    [Fact]
    public void Truncated_entry_is_a_size_mismatch()
    {
        string geob = Zip(("manifest.json", _manifest, 0), ("manifest.sig", _signature, 0), ("add_bias.onnx", _onnx[..100], 0));

        Assert.Equal(BundleCheck.FileSizeMismatch, TestBundles.OpenFails(geob, TestBundles.Trusting(_key), Options).Check);
    }

    [Fact]
    public void Archive_without_manifest_or_signature_fails_the_matching_check()
    {
        Assert.Equal(BundleCheck.ManifestMissing, TestBundles.OpenFails(Zip(("add_bias.onnx", _onnx, 0)), TestBundles.Trusting(_key), Options).Check);
        Assert.Equal(BundleCheck.SignatureMissing, TestBundles.OpenFails(Zip(("manifest.json", _manifest, 0), ("add_bias.onnx", _onnx, 0)), TestBundles.Trusting(_key), Options).Check);
    }

    [Fact]
    public void File_that_is_not_a_zip_is_malformed()
    {
        string path = _temp.File("junk.geob");
        File.WriteAllBytes(path, _onnx);

        BundleVerificationException e = TestBundles.OpenFails(path, TestBundles.Trusting(_key), Options);

        Assert.Equal(BundleCheck.ArchiveMalformed, e.Check);
        Assert.StartsWith($"{path}: ArchiveMalformed: not a readable zip archive", e.Message, StringComparison.Ordinal);
    }

    private string Zip(params (string Name, byte[] Data, int ExternalAttributes)[] entries)
    {
        string path = _temp.File($"{Guid.NewGuid():N}.geob");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach ((string name, byte[] data, int attributes) in entries)
            {
                ZipArchiveEntry entry = zip.CreateEntry(name);
                if (attributes != 0)
                {
                    entry.ExternalAttributes = attributes;
                }

                using Stream s = entry.Open();
                s.Write(data);
            }
        }

        return path;
    }
}
