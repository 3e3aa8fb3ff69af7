using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>The drift features of hand-made clouds and sensor windows, checked against values worked out by hand.</summary>
[Trait("Category", "Unit")]
public sealed class DriftFeaturesTests
{
    [Fact]
    public void A_cube_off_the_origin_has_its_diagonal_as_extent_its_centre_distance_as_range_and_spread_sqrt3()
    {
        // The 8 corners of [9, 11] x [-1, 1] x [-1, 1]: centroid (10, 0, 0); every corner is sqrt(3) from it, and the
        // largest |centred coordinate| is 1. 10 points arrived, 8 were kept.
        float[] cube = [9, -1, -1, 11, -1, -1, 9, 1, -1, 11, 1, -1, 9, -1, 1, 11, -1, 1, 9, 1, 1, 11, 1, 1];

        CloudDriftFeatures f = CloudDriftFeatures.Measure(delivered: 10, kept: 8, cube);

        Assert.Equal(10, f.Points);
        Assert.Equal(0.2, f.RemovedFraction, 15);
        Assert.Equal(Math.Sqrt(12), f.Extent, 14);
        Assert.Equal(10, f.CentroidRange, 14);
        Assert.Equal(Math.Sqrt(3), f.Spread, 14);
    }

    [Fact]
    public void Three_points_give_the_hand_computed_features_in_the_documented_order()
    {
        // (0,0,0), (4,0,0), (0,0,3): centroid (4/3, 0, 1); distances 5/3, sqrt(73)/3, sqrt(52)/3; largest |centred
        // coordinate| 8/3 (x of the second point); bounding box 4 x 0 x 3, diagonal 5.
        float[] points = [0, 0, 0, 4, 0, 0, 0, 0, 3];

        CloudDriftFeatures f = CloudDriftFeatures.Measure(delivered: 3, kept: 3, points);
        double[] v = new double[CloudDriftFeatures.Count];
        f.CopyTo(v);

        Assert.Equal(["points", "removed_fraction", "extent", "centroid_range", "spread"], CloudDriftFeatures.Names);
        Assert.Equal(3, v[0]);
        Assert.Equal(0, v[1]);
        Assert.Equal(5, v[2], 14);
        Assert.Equal(5.0 / 3, v[3], 14);
        Assert.Equal((5 + Math.Sqrt(73) + Math.Sqrt(52)) / 24, v[4], 14);
    }

    [Fact]
    public void Coincident_points_have_zero_extent_and_zero_spread_and_an_empty_cloud_only_counts()
    {
        CloudDriftFeatures same = CloudDriftFeatures.Measure(2, 2, [1, 2, 2, 1, 2, 2]);
        CloudDriftFeatures empty = CloudDriftFeatures.Measure(0, 0, []);

        Assert.Equal(new CloudDriftFeatures(2, 0, 0, 3, 0), same);
        Assert.Equal(new CloudDriftFeatures(0, 0, 0, 0, 0), empty);
    }

    [Fact]
    public void A_sensor_window_mean_and_std_skip_missing_samples()
    {
        // Valid 1, 3, 5: mean 3, population variance (4 + 0 + 4) / 3.
        (double mean, double std) = SensorDriftFeatures.WindowStatistics([1, float.NaN, 3, 5]);
        (double noMean, double noStd) = SensorDriftFeatures.WindowStatistics([float.NaN, float.NaN]);

        Assert.Equal(3, mean, 15);
        Assert.Equal(Math.Sqrt(8.0 / 3), std, 15);
        Assert.True(double.IsNaN(noMean) && double.IsNaN(noStd));
    }

    [Fact]
    public void Sensor_features_are_mean_and_std_per_sensor_then_the_missing_fraction()
    {
        // Two sensors, windows of 4: 'a' misses 1 sample, 'b' misses all 4 (NaN statistics) -> 5 of 8 missing.
        SensorScore[] scores =
        [
            new SensorScore(0, "a", 0, 1, false, 1, SensorImputation.ForwardFilled, 0) { WindowMean = 3, WindowStd = 0.5 },
            new SensorScore(1, "b", 0, 1, false, 4, SensorImputation.SensorMean, 0),
        ];
        double[] v = new double[SensorDriftFeatures.Count(2)];

        SensorDriftFeatures.Measure(scores, window: 4, v);

        Assert.Equal(["a.mean", "a.std", "b.mean", "b.std", "missing_fraction"], SensorDriftFeatures.Names(["a", "b"]));
        Assert.Equal(3, v[0]);
        Assert.Equal(0.5, v[1]);
        Assert.True(double.IsNaN(v[2]) && double.IsNaN(v[3]));
        Assert.Equal(5.0 / 8, v[4]);
    }
}
