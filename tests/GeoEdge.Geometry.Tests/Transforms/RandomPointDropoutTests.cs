using GeoEdge.Geometry;
using GeoEdge.Geometry.Transforms;

namespace GeoEdge.Geometry.Tests.Transforms;

[Trait("Category", "Unit")]
public sealed class RandomPointDropoutTests
{
    [Fact]
    public void Drops_floor_of_ratio_times_n_by_partial_fisher_yates_and_keeps_survivor_order()
    {
        var cloud = new PointCloud(Enumerable.Range(0, 30).Select(i => (float)i).ToArray());
        var draws = new Random(6);
        int[] local = Enumerable.Range(0, 10).ToArray();
        for (int i = 0; i < 3; i++)
        {
            int j = i + draws.Next(10 - i);
            (local[i], local[j]) = (local[j], local[i]);
        }

        PointCloud kept = new RandomPointDropout(0.35, seed: 6).Apply(cloud);

        int[] survivors = Enumerable.Range(0, 10).Except(local.Take(3)).ToArray();
        Assert.Equal(survivors.SelectMany(i => new[] { 3f * i, (3 * i) + 1, (3 * i) + 2 }), kept.Positions);
    }

    [Fact]
    public void Drops_per_example_and_carries_attributes_and_batch()
    {
        PointCloud source = TestClouds.Batched(3, 10, 1, 4);
        var id = new AttributeChannel("id", ScalarType.Int32, 1, source.Count);
        for (int i = 0; i < source.Count; i++)
        {
            id.AsSpan<int>()[i] = i;
        }

        var cloud = new PointCloud(source.Positions, source.Count, 1, [id], source.Batch);
        var before = TestClouds.Snapshot(cloud);

        PointCloud kept = new RandomPointDropout(0.5, seed: 2).Apply(cloud);

        // Examples of 10, 1 and 4 points lose 5, 0 and 2.
        Assert.Equal([0L, 0, 0, 0, 0, 1, 2, 2], kept.Batch!);
        int[] ids = kept.FindAttribute("id")!.AsSpan<int>().ToArray();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(10, ids[5]);
        for (int i = 0; i < ids.Length; i++)
        {
            Assert.Equal(cloud.Positions.AsSpan(3 * ids[i], 3).ToArray(), kept.Positions.AsSpan(3 * i, 3).ToArray());
        }

        TestClouds.AssertUnchanged(before, cloud);
    }

    [Fact]
    public void Equal_seeds_repeat_and_other_seeds_differ()
    {
        var cloud = new PointCloud(TestClouds.Positions(40, seed: 8));

        float[] first = new RandomPointDropout(0.25, seed: 1).Apply(cloud).Positions;

        Assert.Equal(first, new RandomPointDropout(0.25, seed: 1).Apply(cloud).Positions);
        Assert.NotEqual(first, new RandomPointDropout(0.25, seed: 2).Apply(cloud).Positions);
        Assert.Equal(30, first.Length / 3);
    }

    [Fact]
    public void ToString_prints_ratio_and_seed()
    {
        Assert.Equal("RandomPointDropout(ratio=0.25, seed=3)", new RandomPointDropout(0.25, seed: 3).ToString());
    }

    [Fact]
    [Trait("Category", "Fault")]
    public void A_ratio_outside_zero_to_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomPointDropout(1.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomPointDropout(-0.5));
    }
}
