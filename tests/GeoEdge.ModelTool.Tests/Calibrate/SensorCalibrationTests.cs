using GeoEdge.ModelTool.Calibrate;
using GeoEdge.ModelTool.Evaluate;

namespace GeoEdge.ModelTool.Tests.Calibrate;

/// <summary>Platt scaling, the binary ECE and Brier score, per-sensor thresholds at a false-alarm rate and the threshold-free AUROCs, on hand-checkable numbers.</summary>
[Trait("Category", "Unit")]
public sealed class SensorCalibrationTests
{
    [Fact]
    public void Platt_fit_recovers_the_known_optimum_where_the_empirical_rates_are_exactly_reachable()
    {
        // Logit 0: 1 faulty of 4 (rate 1/4); logit 2: 3 faulty of 4 (rate 3/4). With two distinct logits the fit reproduces
        // both rates: sigmoid(b) = 1/4 -> b = -ln 3; sigmoid(2a + b) = 3/4 -> 2a - ln 3 = ln 3 -> a = ln 3.
        double[] z = [0, 0, 0, 0, 2, 2, 2, 2];
        bool[] y = [true, false, false, false, true, true, true, false];

        (double a, double b) = PlattScaling.Fit(z, y);

        Assert.Equal(Math.Log(3), a, 1e-9);
        Assert.Equal(-Math.Log(3), b, 1e-9);

        // NLL at the optimum: each group has entropy -(1/4 ln 1/4 + 3/4 ln 3/4) = ln 4 - 3/4 ln 3.
        Assert.Equal(Math.Log(4) - (0.75 * Math.Log(3)), PlattScaling.Nll(z, y, a, b), 1e-12);
        Assert.True(PlattScaling.Nll(z, y, a, b) < PlattScaling.Nll(z, y, 1, 0));
    }

    [Fact]
    public void Platt_fit_refuses_a_split_with_one_class_only()
    {
        var e = Assert.Throws<ArgumentException>(() => PlattScaling.Fit([1.0, 2.0], [false, false]));

        Assert.Contains("all 2 are negative", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_ece_and_brier_of_four_hand_computed_predictions()
    {
        // p 0.1 twice (bin 1 of 15, one faulty: |0.5 - 0.1| = 0.4, weight 1/2) and 0.9 twice (bin 13, both faulty: |1 - 0.9| = 0.1, weight 1/2).
        double[] p = [0.1, 0.1, 0.9, 0.9];
        bool[] y = [false, true, true, true];

        Assert.Equal(0.25, BinaryCalibrationMetrics.Ece(p, y), 12);

        // Brier: (0.01 + 0.81 + 0.01 + 0.01) / 4.
        Assert.Equal(0.21, BinaryCalibrationMetrics.Brier(p, y), 12);
        ReliabilityBin[] bins = BinaryCalibrationMetrics.Reliability(p, y);
        Assert.Equal((2, 0.5, 0.1), (bins[1].Count, bins[1].Accuracy, Math.Round(bins[1].Confidence, 12)));
        Assert.Equal((2, 1.0, 0.9), (bins[13].Count, bins[13].Accuracy, Math.Round(bins[13].Confidence, 12)));
    }

    [Fact]
    public void Thresholds_at_a_false_alarm_rate_are_the_normal_logits_with_that_fraction_above_them()
    {
        // 5 windows x 2 sensors. Sensor 0: normals 0.1, 0.5, 0.2, 0.4 and one fault at 3.0; sensor 1: normals 1..5.
        double[] z = [0.1, 1, 0.5, 2, 0.2, 3, 0.4, 4, 3.0, 5];
        bool[] y = [false, false, false, false, false, false, false, false, true, false];

        SensorCalibrationResult r = SensorCalibration.Fit(z, y, 2, [9, 9], 0.25);

        // Sensor 0: ceil(0.75 * 4) = 3rd smallest normal = 0.4 (0.5 above it); sensor 1: ceil(0.75 * 5) = 4th = 4 (5 above it).
        Assert.Equal([0.4, 4.0], r.Thresholds);
        Assert.Equal(2.0 / 9, r.FalseAlarmRate, 12);
        Assert.Equal((1.0, 10, 1), (r.DetectionRate, r.SensorWindows, r.Faulty));
        Assert.True(r.NllAfter <= r.NllBefore);

        SensorCalibrationResult kept = SensorCalibration.Fit(z, y, 2, [0.3, 4.5], null);
        Assert.Equal([0.3, 4.5], kept.Thresholds);
        Assert.Null(kept.TargetFalseAlarmRate);

        // Sensor 0 alarms at 0.5, 0.4 and the fault; sensor 1 at 5: 3 of 9 normals.
        Assert.Equal(3.0 / 9, kept.FalseAlarmRate, 12);
    }

    [Fact]
    public void Sensor_auroc_is_averaged_over_sensors_with_both_classes_and_the_margin_auroc_pools_them()
    {
        // 3 windows x 3 sensors. Sensor 0: fault 2 vs normals 1, 3 -> 1/2; sensor 1: fault 5 vs normals 4, 4 -> 1;
        // sensor 2 has no fault and is left out.
        double[] z = [1, 5, 0, /**/ 2, 4, 0, /**/ 3, 4, 0];
        bool[] y = [false, true, false, /**/ true, false, false, /**/ false, false, false];

        (double mean, int sensors) = SensorQuality.MeanSensorAuroc(z, y, 3);

        Assert.Equal((0.75, 2), (mean, sensors));

        // Margins with thresholds [2, 4, -1]: faults 1 and 0; normals -1, 1, 0, 1, 1, 0, 1. The fault at 0 beats 1 normal and
        // ties 2 (1 + 2/2), the one at 1 beats 3 and ties 4 (3 + 4/2): 7 of 2 x 7 pairs = 0.5.
        Assert.Equal(0.5, SensorQuality.MarginAuroc(z, [2, 4, -1], y), 12);
    }
}
