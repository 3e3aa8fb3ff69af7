using GeoEdge.Geometry.IO;

namespace GeoEdge.Geometry.Tests.IO;

[Trait("Category", "Unit")]
public sealed class NpzFileTests
{
    [Theory]
    [InlineData("pair.npz")]
    [InlineData("pair_compressed.npz")]
    public void Reads_archives_written_by_numpy_savez(string file)
    {
        IReadOnlyDictionary<string, NpyArray> arrays = NpzFile.Read(Fixtures.Path("npy", file));

        Assert.Equal(["pos", "knn"], arrays.Keys);
        Assert.Equal([0f, 1, 2, 3, 4, 5], arrays["pos"].AsSpan<float>().ToArray());
        Assert.Equal([2, 1], arrays["knn"].Shape);
        Assert.Equal([1L, 0], arrays["knn"].AsSpan<long>().ToArray());
    }

    [Fact]
    public void Round_trips_what_it_writes()
    {
        using var stream = new MemoryStream();
        NpzFile.Write(stream, [new("a", NpyArray.FromFloat32([1, 2, 3], 3)), new("b", NpyArray.FromInt64([7], 1, 1))]);
        stream.Position = 0;

        IReadOnlyDictionary<string, NpyArray> arrays = NpzFile.Read(stream, "mem.npz");

        Assert.Equal([1f, 2, 3], arrays["a"].AsSpan<float>().ToArray());
        Assert.Equal([1, 1], arrays["b"].Shape);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_a_format_error()
    {
        using var stream = new MemoryStream("definitely not a zip archive"u8.ToArray());

        var error = Assert.Throws<NpyFormatException>(() => NpzFile.Read(stream, "junk.npz"));

        Assert.Contains("junk.npz", error.Message, StringComparison.Ordinal);
    }
}
