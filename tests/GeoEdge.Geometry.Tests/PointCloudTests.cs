using GeoEdge.Geometry;

namespace GeoEdge.Geometry.Tests;

[Trait("Category", "Unit")]
public sealed class PointCloudTests
{
    [Fact]
    public void RemoveNonFinite_keeps_finite_points_and_their_attributes_in_order()
    {
        float[] xyz = [0, 0, 0, float.NaN, 1, 1, 2, 2, 2, 3, float.PositiveInfinity, 3];
        var intensity = new AttributeChannel("intensity", ScalarType.Float32, 1, 4);
        intensity.AsSpan<float>()[0] = 10;
        intensity.AsSpan<float>()[2] = 30;
        var cloud = new PointCloud(xyz, 2, 2, [intensity]);

        PointCloud finite = cloud.RemoveNonFinite();

        Assert.True(cloud.IsOrganized);
        Assert.Equal(2, cloud.CountFinite());
        Assert.Equal(4, cloud.Count);
        Assert.Equal([0f, 0, 0, 2, 2, 2], finite.Positions);
        Assert.Equal([10f, 30f], finite.FindAttribute("intensity")!.AsSpan<float>().ToArray());
        Assert.False(finite.IsOrganized);
        Assert.True(float.IsNaN(cloud.Positions[3]));
    }

    [Fact]
    public void Batched_concatenates_points_and_builds_the_batch_vector()
    {
        var a = new PointCloud([1, 1, 1, 2, 2, 2]);
        var b = new PointCloud([3, 3, 3]);
        var c = new PointCloud([4, 4, 4, 5, 5, 5]);

        PointCloud batched = PointCloud.Batched([a, b, c]);

        Assert.Equal([0L, 0, 1, 2, 2], batched.Batch!);
        Assert.Equal(3, batched.BatchCount);
        Assert.Equal((2, 3), batched.BatchRange(1));
        Assert.Equal((3, 5), batched.BatchRange(2));
        Assert.Equal(5f, batched.Positions[^1]);
    }

    [Fact]
    public void Constructor_rejects_a_batch_vector_that_is_not_grouped()
    {
        Assert.Throws<ArgumentException>(() => new PointCloud([0, 0, 0, 1, 1, 1], 2, 1, batch: [1, 0]));
    }

    [Fact]
    public void Attribute_channel_converts_between_types_with_saturation()
    {
        var label = new AttributeChannel("label", ScalarType.UInt8, 2, 1);
        label.SetDouble(0, 0, 300);
        label.SetDouble(0, 1, -5);

        Assert.Equal(255, label.GetDouble(0, 0));
        Assert.Equal(0, label.GetDouble(0, 1));
        Assert.Throws<InvalidOperationException>(() => label.AsSpan<float>());
    }
}
