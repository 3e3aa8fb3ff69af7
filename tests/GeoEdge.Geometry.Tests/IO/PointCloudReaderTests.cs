using GeoEdge.Geometry.IO;

namespace GeoEdge.Geometry.Tests.IO;

[Trait("Category", "Unit")]
public sealed class PointCloudReaderTests
{
    [Theory]
    [InlineData("open3d", "bunny_like_ascii.ply", PointCloudFormat.Ply)]
    [InlineData("pcl", "pcd2ply_binary.ply", PointCloudFormat.Ply)]
    [InlineData("pcl", "table_scene_like_binary_compressed.pcd", PointCloudFormat.Pcd)]
    [InlineData("open3d", "sphere_xyz_binary.pcd", PointCloudFormat.Pcd)]
    public void Chooses_the_reader_from_the_first_bytes(string folder, string file, PointCloudFormat expected)
    {
        string path = Fixtures.Path(folder, file);
        string renamed = Path.Combine(Path.GetTempPath(), $"geoedge-{Guid.NewGuid():N}.bin");
        File.Copy(path, renamed);
        try
        {
            PointCloudFile direct = expected == PointCloudFormat.Ply ? PlyReader.Read(path) : PcdReader.Read(path);

            PointCloudFile detected = PointCloudReader.Read(renamed);

            Assert.Equal(expected, detected.Format);
            Assert.Equal(direct.Cloud.Positions, detected.Cloud.Positions);
        }
        finally
        {
            File.Delete(renamed);
        }
    }

    [Fact]
    public void Garbage_is_reported_by_the_pcd_reader_with_the_file_name()
    {
        var error = Assert.Throws<PointCloudFormatException>(() => PointCloudReader.Read(Fixtures.Path("bad", "garbage_header.pcd")));

        Assert.Contains("garbage_header.pcd", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("out.pcd", PointCloudEncoding.Binary)]
    [InlineData("out.PLY", PointCloudEncoding.BinaryLittleEndian)]
    public void Writer_picks_the_format_from_the_extension(string name, PointCloudEncoding expected)
    {
        string path = Path.Combine(Path.GetTempPath(), $"geoedge-{Guid.NewGuid():N}-{name}");
        try
        {
            PointCloudWriter.Write(path, new PointCloud([1, 2, 3, 4, 5, 6]));

            PointCloudFile read = PointCloudReader.Read(path);

            Assert.Equal(expected, read.Encoding);
            Assert.Equal([1f, 2, 3, 4, 5, 6], read.Cloud.Positions);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Writer_refuses_an_encoding_the_format_lacks_and_an_unknown_extension()
    {
        var cloud = new PointCloud([1, 2, 3]);

        Assert.Throws<ArgumentException>(() => PointCloudWriter.Write("x.ply", cloud, PointCloudEncoding.BinaryCompressed));
        Assert.Throws<ArgumentException>(() => PointCloudWriter.Write("x.xyz", cloud));
    }
}
