using GeoEdge.Host.Fleet;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.Host.Tests.Fleet;

[Trait("Category", "Integration")]
public sealed class BundleDownloadTests
{
    private const int Size = 300_000;

    [Fact]
    public async Task A_cut_download_resumes_with_range_and_if_range_and_ends_with_the_exact_bytes()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        (string sha, byte[] bytes) = Serve(f, "blob", seed: 1);
        f.Server.CutBundleAfter.Enqueue(100_000);
        var download = new BundleDownload(f.Client, NullLogger.Instance);
        string target = Path.Combine(f.StateDirectory, "b.geob");

        FleetRequestException cut = await Assert.ThrowsAsync<FleetRequestException>(() => download.DownloadAsync($"/v1/bundles/{sha}", Size, target, null, CancellationToken.None));
        long kept = new FileInfo(target + ".part").Length;
        long fetched = await download.DownloadAsync($"/v1/bundles/{sha}", Size, target, null, CancellationToken.None);

        Assert.True(cut.Transient);
        Assert.InRange(kept, 1, 100_000);
        Assert.Equal(Size - kept, fetched);
        Assert.Equal(bytes, File.ReadAllBytes(target));
        Assert.Equal([(null, null, 200), ($"bytes={kept}-", $"\"{sha}\"", 206)], f.Server.BundleRequests);
        Assert.False(File.Exists(target + ".part"));
        Assert.False(File.Exists(target + ".part.json"));
    }

    [Fact]
    public async Task A_file_that_changed_between_tries_is_downloaded_again_from_byte_zero()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        (string sha, byte[] _) = Serve(f, "blob", seed: 1);
        f.Server.CutBundleAfter.Enqueue(100_000);
        var download = new BundleDownload(f.Client, NullLogger.Instance);
        string target = Path.Combine(f.StateDirectory, "b.geob");
        await Assert.ThrowsAsync<FleetRequestException>(() => download.DownloadAsync($"/v1/bundles/{sha}", Size, target, null, CancellationToken.None));

        byte[] swapped = Bytes(seed: 2);
        File.WriteAllBytes(f.Server.Bundles[sha], swapped); // same URL, other bytes: another ETag
        long fetched = await download.DownloadAsync($"/v1/bundles/{sha}", Size, target, null, CancellationToken.None);

        Assert.Equal(Size, fetched);
        Assert.Equal(swapped, File.ReadAllBytes(target));
        Assert.Equal(200, f.Server.BundleRequests[1].Status); // If-Range did not match: the whole file came
    }

    [Fact]
    public async Task A_server_file_of_another_size_than_assigned_is_refused_and_nothing_is_kept()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        (string sha, byte[] _) = Serve(f, "blob", seed: 1);
        var download = new BundleDownload(f.Client, NullLogger.Instance);
        string target = Path.Combine(f.StateDirectory, "b.geob");

        InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(() => download.DownloadAsync($"/v1/bundles/{sha}", Size + 1, target, null, CancellationToken.None));

        Assert.Contains($"{Size} bytes; the assignment says {Size + 1}", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(target + ".part"));
        Assert.False(File.Exists(target));
    }

    private static (string Sha, byte[] Bytes) Serve(FleetFixture f, string name, int seed)
    {
        byte[] bytes = Bytes(seed);
        string path = Path.Combine(f.Scratch, name);
        File.WriteAllBytes(path, bytes);
        string sha = FakeFleetServer.Sha256Of(path);
        f.Server.Bundles[sha] = path;
        return (sha, bytes);
    }

    private static byte[] Bytes(int seed)
    {
        byte[] bytes = new byte[Size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
