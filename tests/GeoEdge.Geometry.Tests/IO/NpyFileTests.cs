using GeoEdge.Geometry.IO;

namespace GeoEdge.Geometry.Tests.IO;

[Trait("Category", "Unit")]
public sealed class NpyFileTests
{
    [Fact]
    public void Reads_arrays_written_by_numpy()
    {
        NpyArray ints = NpyFile.Read(Fixtures.Path("npy", "int64_2x3.npy"));
        NpyArray floats = NpyFile.Read(Fixtures.Path("npy", "float32_4.npy"));
        NpyArray scalar = NpyFile.Read(Fixtures.Path("npy", "float64_scalar.npy"));
        NpyArray bools = NpyFile.Read(Fixtures.Path("npy", "bool_3.npy"));
        NpyArray cube = NpyFile.Read(Fixtures.Path("npy", "int32_2x2x2.npy"));

        Assert.Equal([2, 3], ints.Shape);
        Assert.Equal([-2L, -1, 0, 1, 2, 3], ints.AsSpan<long>().ToArray());
        Assert.Equal([1.5f, -0.0f, float.PositiveInfinity, 3.25f], floats.AsSpan<float>().ToArray());
        Assert.Empty(scalar.Shape);
        Assert.Equal(2.5, scalar.AsSpan<double>()[0]);
        Assert.Equal([(byte)1, 0, 1], bools.Data);
        Assert.Equal([2, 2, 2], cube.Shape);
        Assert.Equal(7, cube.AsSpan<int>()[7]);
    }

    [Fact]
    public void Reads_and_writes_uint8_as_numpy_does()
    {
        string path = Fixtures.Path("npy", "uint8_2x2.npy");

        NpyArray mask = NpyFile.Read(path);
        using var stream = new MemoryStream();
        NpyFile.Write(stream, mask);

        Assert.Equal(NpyDType.UInt8, mask.DType);
        Assert.Equal([2, 2], mask.Shape);
        Assert.Equal([(byte)0, 1, 255, 7], mask.Data);
        Assert.Equal(File.ReadAllBytes(path), stream.ToArray());
    }

    [Fact]
    public void Writes_the_same_bytes_numpy_writes()
    {
        var array = NpyArray.FromInt64([-2, -1, 0, 1, 2, 3], 2, 3);
        using var stream = new MemoryStream();

        NpyFile.Write(stream, array);

        Assert.Equal(File.ReadAllBytes(Fixtures.Path("npy", "int64_2x3.npy")), stream.ToArray());
    }

    [Theory]
    [InlineData("fortran_2x3.npy", "Fortran-order")]
    [InlineData("big_endian_f4.npy", "unsupported dtype '>f4'")]
    public void Rejects_layouts_it_does_not_support_with_a_clear_error(string file, string expected)
    {
        var error = Assert.Throws<NpyFormatException>(() => NpyFile.Read(Fixtures.Path("npy", file)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_data_names_the_byte_offset()
    {
        byte[] bytes = File.ReadAllBytes(Fixtures.Path("npy", "int64_2x3.npy"));
        using var stream = new MemoryStream(bytes[..^5]);

        var error = Assert.Throws<NpyFormatException>(() => NpyFile.Read(stream, "cut.npy"));

        Assert.Equal(128, error.ByteOffset);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }
}
