using GeoEdge.Geometry;
using GeoEdge.Geometry.Transforms;

namespace GeoEdge.Geometry.Tests.Transforms;

[Trait("Category", "Unit")]
public sealed class RandomJitterTests
{
    [Fact]
    public void Uniform_jitter_adds_the_documented_draws_in_storage_order()
    {
        var cloud = new PointCloud([1, 2, 3, -1, -2, -3]);
        var draws = new Random(9);

        PointCloud jittered = new RandomJitter(translate: 0.25, seed: 9).Apply(cloud);

        float[] expected = cloud.Positions.Select(p => (float)(p + (-0.25 + (0.5 * draws.NextDouble())))).ToArray();
        Assert.Equal(expected, jittered.Positions);
    }

    [Fact]
    public void Gaussian_jitter_uses_box_muller_pairs_and_clips()
    {
        var cloud = new PointCloud(new float[6]);
        var draws = new Random(4);
        var expected = new float[6];
        for (int i = 0; i < 6; i += 2)
        {
            double u1 = 1.0 - draws.NextDouble(), u2 = draws.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            expected[i] = (float)Math.Clamp(0.02 * r * Math.Cos(2 * Math.PI * u2), -0.03, 0.03);
            expected[i + 1] = (float)Math.Clamp(0.02 * r * Math.Sin(2 * Math.PI * u2), -0.03, 0.03);
        }

        PointCloud jittered = new RandomJitter(sigma: 0.02, clip: 0.03, seed: 4).Apply(cloud);

        Assert.Equal(expected, jittered.Positions);
    }

    [Fact]
    public void A_wide_gaussian_is_clipped_to_plus_or_minus_clip()
    {
        var cloud = new PointCloud(new float[300]);

        float[] noise = new RandomJitter(sigma: 10, seed: 1).Apply(cloud).Positions;

        Assert.All(noise, v => Assert.True(v == 0.05f || v == -0.05f || (v > -0.05f && v < 0.05f)));
        Assert.Contains(0.05f, noise);
        Assert.Contains(-0.05f, noise);
    }

    [Fact]
    public void Equal_seeds_repeat_call_for_call_and_the_input_stays_untouched()
    {
        var cloud = new PointCloud(TestClouds.Positions(50, seed: 2));
        var before = TestClouds.Snapshot(cloud);
        var a = new RandomJitter(sigma: 0.01, seed: 7);
        var b = new RandomJitter(sigma: 0.01, seed: 7);

        float[] first = a.Apply(cloud).Positions;

        Assert.Equal(first, b.Apply(cloud).Positions);
        Assert.NotEqual(first, a.Apply(cloud).Positions);
        Assert.NotEqual(first, new RandomJitter(sigma: 0.01, seed: 8).Apply(cloud).Positions);
        TestClouds.AssertUnchanged(before, cloud);
    }

    [Fact]
    public void ToString_prints_the_kind_of_noise_and_the_seed()
    {
        Assert.Equal("RandomJitter(sigma=0.01, seed=7)", new RandomJitter(sigma: 0.01, seed: 7).ToString());
        Assert.Equal("RandomJitter(sigma=0.01, clip=0.02, seed=0)", new RandomJitter(sigma: 0.01, clip: 0.02).ToString());
        Assert.Equal("RandomJitter(translate=0.1, seed=3)", new RandomJitter(translate: 0.1, seed: 3).ToString());
    }

    [Fact]
    [Trait("Category", "Fault")]
    public void Exactly_one_kind_of_noise_must_be_given()
    {
        Assert.Throws<ArgumentException>(() => new RandomJitter());
        Assert.Throws<ArgumentException>(() => new RandomJitter(sigma: 0.1, translate: 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomJitter(sigma: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomJitter(translate: double.NaN));
    }
}
