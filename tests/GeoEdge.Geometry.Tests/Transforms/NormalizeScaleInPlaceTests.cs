using GeoEdge.Geometry.Transforms;

namespace GeoEdge.Geometry.Tests.Transforms;

/// <summary>NormalizeScale.ApplyInPlace: bit-identical to Apply, in the caller's memory.</summary>
[Trait("Category", "Unit")]
public sealed class NormalizeScaleInPlaceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1024)]
    [InlineData(2048)]
    public void Random_clouds_normalise_bit_identically_to_Apply(int points)
    {
        for (int seed = 0; seed < 4; seed++)
        {
            float[] positions = TestClouds.Positions(points, seed, -50f + seed, 30f * (seed + 1));
            float[] expected = new NormalizeScale().Apply(new PointCloud(positions)).Positions;
            float[] actual = positions.ToArray();

            NormalizeScale.ApplyInPlace(actual);

            Assert.Equal(BitsOf(expected), BitsOf(actual));
        }
    }

    [Fact]
    public void Coincident_points_are_centred_and_left_unscaled()
    {
        float[] positions = [2, -3, 4, 2, -3, 4];

        NormalizeScale.ApplyInPlace(positions);

        Assert.Equal(new float[6], positions);
    }

    [Fact]
    public void A_partial_point_throws()
    {
        Assert.Throws<ArgumentException>("positions", () => NormalizeScale.ApplyInPlace(new float[4]));
    }

    private static int[] BitsOf(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
