using System.Buffers.Binary;
using System.Numerics;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Sampling;

namespace GeoEdge.Geometry.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class GridSamplingTests
{
    [Fact]
    public void Tiny_cloud_gives_one_mean_point_per_voxel_in_x_fastest_order()
    {
        // Voxel edge 1 from the min corner (0,0,0); the NaN point is dropped.
        var cloud = new PointCloud(
        [
            0.2f, 0.2f, 2.5f,   // voxel (0,0,2)
            0.5f, 0.5f, 0.5f,   // voxel (0,0,0)
            0, 1.25f, 0,        // voxel (0,1,0)
            float.NaN, 0, 0,
            1.5f, 0, 0,         // voxel (1,0,0)
            0, 0, 0,            // voxel (0,0,0)
        ]);

        PointCloud sampled = GridSampling.Apply(cloud, 1f);

        Assert.Equal(
            [0.25f, 0.25f, 0.25f, 1.5f, 0, 0, 0, 1.25f, 0, 0.2f, 0.2f, 2.5f],
            sampled.Positions);
        Assert.Null(sampled.Batch);
    }

    [Fact]
    public void Random_cloud_with_every_attribute_kind_matches_the_dictionary_reference()
    {
        var cloud = WithAttributes(new PointCloud(TestClouds.Positions(5_000, seed: 31, lo: -0.5f, hi: 0.5f)), seed: 32);

        // 0.01 needs 101^3 voxel ids (sorted path, two radix passes); 0.1 and 0.37 take the dense path.
        Assert.False(DenseVoxelGrid.Fits(101L * 101 * 101, cloud.Count));
        Assert.True(DenseVoxelGrid.Fits(11L * 11 * 11, cloud.Count));
        foreach (float size in new[] { 0.01f, 0.1f, 0.37f })
        {
            AssertSame(GridSamplingReference.Apply(cloud, new Vector3(size)), GridSampling.Apply(cloud, size));
        }
    }

    [Fact]
    public void Batched_cloud_keeps_examples_apart_and_keeps_the_batch_vector()
    {
        PointCloud batched = TestClouds.Batched(40, 700, 1, 1_500);
        var cloud = WithAttributes(batched, seed: 41);

        PointCloud sampled = GridSampling.Apply(cloud, new Vector3(0.05f, 0.2f, 0.1f));

        AssertSame(GridSamplingReference.Apply(cloud, new Vector3(0.05f, 0.2f, 0.1f)), sampled);
        AssertSame(GridSamplingReference.Apply(cloud, new Vector3(1.5f)), GridSampling.Apply(cloud, 1.5f));
        Assert.Equal(0, sampled.Batch![0]);
        Assert.Equal(2, sampled.Batch[^1]);
        Assert.Single(sampled.Batch, b => b == 1);
    }

    [Fact]
    public void Label_takes_the_majority_with_ties_to_the_smaller_label()
    {
        var cloud = new PointCloud(new float[15], 5, 1, [Channel("label", ScalarType.Int32, 2, 1, 1, 2, 3)]);

        PointCloud sampled = GridSampling.Apply(cloud, 1f);

        Assert.Equal([1], sampled.FindAttribute("label")!.AsSpan<int>().ToArray());
    }

    [Fact]
    public void Integer_attributes_are_rounded_means_with_halves_away_from_zero()
    {
        var cloud = new PointCloud(
            new float[12],
            4,
            1,
            [
                Channel("up", ScalarType.UInt8, 1, 2, 2, 2),
                Channel("down", ScalarType.Int16, -1, -2, -2, -2),
                Channel("third", ScalarType.Int64, 1, 1, 1, 2),
                UInt64Channel("huge", ulong.MaxValue, ulong.MaxValue, ulong.MaxValue - 2, ulong.MaxValue - 2),
            ]);

        PointCloud sampled = GridSampling.Apply(cloud, 1f);

        Assert.Equal(2, sampled.FindAttribute("up")!.GetDouble(0));
        Assert.Equal(-2, sampled.FindAttribute("down")!.GetDouble(0));
        Assert.Equal(1, sampled.FindAttribute("third")!.GetDouble(0));
        Assert.Equal(ulong.MaxValue - 1, sampled.FindAttribute("huge")!.AsSpan<ulong>()[0]);
    }

    [Fact]
    public void Packed_rgb_is_averaged_per_channel_and_truncated_like_pcl()
    {
        // Red 255 and blue 255, alpha 255 and 0: each channel's mean 127.5 truncates to 127.
        var rgba = new AttributeChannel("rgba", ScalarType.UInt32, 1, 2);
        rgba.AsSpan<uint>()[0] = 0xFFFF0000;
        rgba.AsSpan<uint>()[1] = 0x000000FF;
        var rgb = new AttributeChannel("rgb", ScalarType.Float32, 1, 2);
        BinaryPrimitives.WriteUInt32LittleEndian(rgb.Bytes, 0x00FF0000);
        BinaryPrimitives.WriteUInt32LittleEndian(rgb.Bytes[4..], 0x0000FF00);
        var cloud = new PointCloud(new float[6], 2, 1, [rgba, rgb]);

        PointCloud sampled = GridSampling.Apply(cloud, 1f);

        Assert.Equal(0x7F7F007Fu, sampled.FindAttribute("rgba")!.AsSpan<uint>()[0]);
        Assert.Equal(0x007F7F00u, BinaryPrimitives.ReadUInt32LittleEndian(sampled.FindAttribute("rgb")!.Bytes));
    }

    [Fact]
    public void Organized_cloud_with_holes_gives_an_unorganized_result_and_stays_untouched()
    {
        float[] xyz = TestClouds.Positions(12, seed: 5);
        xyz[3] = float.NaN;
        xyz[20] = float.PositiveInfinity;
        var cloud = new PointCloud(xyz, 4, 3, [Channel("intensity", ScalarType.Float32, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)]);
        var before = TestClouds.Snapshot(cloud);

        PointCloud sampled = new GridSampling(0.5f).Apply(cloud);

        AssertSame(GridSamplingReference.Apply(cloud, new Vector3(0.5f)), sampled);
        Assert.False(sampled.IsOrganized);
        TestClouds.AssertUnchanged(before, cloud);
    }

    [Fact]
    public void A_cloud_without_finite_points_gives_an_empty_cloud_with_the_same_channels()
    {
        var cloud = new PointCloud([float.NaN, 0, 0], 1, 1, [Channel("label", ScalarType.UInt8, 3)], batch: [0]);

        PointCloud sampled = GridSampling.Apply(cloud, 0.1f);

        Assert.Equal(0, sampled.Count);
        Assert.Equal("label", sampled.Attributes[0].Name);
        Assert.Empty(sampled.Batch!);
    }

    [Fact]
    public void ToString_prints_the_size_pyg_style()
    {
        Assert.Equal("GridSampling(size=0.05)", new GridSampling(0.05f).ToString());
        Assert.Equal("GridSampling(size=[0.1, 0.1, 0.2])", new GridSampling(new Vector3(0.1f, 0.1f, 0.2f)).ToString());
    }

    [Fact]
    public void Radix_sort_is_stable_for_keys_of_every_width()
    {
        var random = new Random(3);
        foreach (long range in new[] { 1L, 7L, 2_048L, 1L << 33, long.MaxValue })
        {
            long[] keys = Enumerable.Range(0, 3_000).Select(_ => random.NextInt64(range)).ToArray();
            int[] points = Enumerable.Range(0, keys.Length).ToArray();
            var expected = points.OrderBy(i => keys[i]).ToArray();

            StableRadixSort.Sort(keys, points, keys.Length, range - 1);

            Assert.Equal(expected, points);
        }
    }

    internal static AttributeChannel Channel(string name, ScalarType type, params double[] values)
    {
        var channel = new AttributeChannel(name, type, 1, values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            channel.SetDouble(i, 0, values[i]);
        }

        return channel;
    }

    private static AttributeChannel UInt64Channel(string name, params ulong[] values)
    {
        var channel = new AttributeChannel(name, ScalarType.UInt64, 1, values.Length);
        values.CopyTo(channel.AsSpan<ulong>());
        return channel;
    }

    private static PointCloud WithAttributes(PointCloud cloud, int seed)
    {
        int n = cloud.Count;
        var random = new Random(seed);
        var intensity = new AttributeChannel("intensity", ScalarType.Float32, 1, n);
        var normal = new AttributeChannel("normal", ScalarType.Float32, 3, n);
        var time = new AttributeChannel("time", ScalarType.Float64, 1, n);
        var ring = new AttributeChannel("ring", ScalarType.UInt16, 1, n);
        var offset = new AttributeChannel("offset", ScalarType.Int32, 2, n);
        var label = new AttributeChannel("label", ScalarType.UInt8, 1, n);
        var rgb = new AttributeChannel("rgb", ScalarType.Float32, 1, n);
        random.NextBytes(rgb.Bytes);
        for (int i = 0; i < n; i++)
        {
            intensity.AsSpan<float>()[i] = random.NextSingle() * 100;
            for (int c = 0; c < 3; c++)
            {
                normal.AsSpan<float>()[(3 * i) + c] = (random.NextSingle() * 2) - 1;
            }

            time.AsSpan<double>()[i] = random.NextDouble() * 1e6;
            ring.AsSpan<ushort>()[i] = (ushort)random.Next(65_536);
            offset.AsSpan<int>()[2 * i] = random.Next(-1_000_000, 1_000_000);
            offset.AsSpan<int>()[(2 * i) + 1] = random.Next(-3, 4);
            label.AsSpan<byte>()[i] = (byte)random.Next(4);
        }

        return new PointCloud(cloud.Positions, n, 1, [intensity, normal, time, ring, offset, label, rgb], cloud.Batch);
    }

    private static void AssertSame(PointCloud expected, PointCloud actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Positions, actual.Positions);
        Assert.Equal(expected.Batch, actual.Batch);
        Assert.Equal(expected.Attributes.Count, actual.Attributes.Count);
        for (int a = 0; a < expected.Attributes.Count; a++)
        {
            Assert.Equal(expected.Attributes[a].Field, actual.Attributes[a].Field);
            Assert.True(
                expected.Attributes[a].Bytes.SequenceEqual(actual.Attributes[a].Bytes),
                $"attribute '{expected.Attributes[a].Name}' differs");
        }
    }
}
