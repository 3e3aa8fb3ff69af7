using System.Text.Json;
using GeoEdge.ModelTool.Quantize;

namespace GeoEdge.ModelTool.Tests.Quantize;

/// <summary>Min-max, percentile and entropy ranges on data with known histograms.</summary>
[Trait("Category", "Unit")]
public sealed class RangeSearchTests
{
    // -1.000, -0.999, ..., 0.999 (2000 values in [-1, 1)) and one outlier at 100.
    private static float[] WithOutlier()
    {
        var values = new float[2001];
        for (int k = -1000; k < 1000; k++)
        {
            values[k + 1000] = k / 1000f;
        }

        values[2000] = 100f;
        return values;
    }

    private static ActivationStatistics Collected(float[] values)
    {
        var s = new ActivationStatistics("t");
        s.AddExtremes(values);
        s.AddToHistogram(values);
        return s;
    }

    [Fact]
    public void Minmax_keeps_the_outlier_and_percentile_clips_it()
    {
        ActivationStatistics s = Collected(WithOutlier());

        // 2048 bins over [0, 100]: width 100/2048 = 0.048828125; |x| <= 1 fills bins 0..20 (2000 of 2001 values,
        // 99.95 % >= 99.9 %), so the 99.9th percentile is the upper edge of bin 20: 21 x 0.048828125.
        Assert.Equal((-1f, 100f), s.Range(CalibrationMethod.MinMax, 99.9));
        Assert.Equal((-1f, 1.025390625f), s.Range(CalibrationMethod.Percentile, 99.9));

        // 99.99 % of 2001 values needs all of them: the outlier's bin, so nothing is clipped.
        Assert.Equal((-1f, 100f), s.Range(CalibrationMethod.Percentile, 99.99));
    }

    [Fact]
    public void Range_always_contains_zero()
    {
        ActivationStatistics s = Collected([2f, 3f, 4f]);

        Assert.Equal((0f, 4f), s.Range(CalibrationMethod.MinMax, 100));
    }

    [Fact]
    public void Entropy_matches_the_numpy_reference()
    {
        // tests/fixtures/quantize/entropy_reference.py (TensorRT's KL search as pytorch-quantization implements it) wrote
        // the histogram and its answer: bin 640 of 2048 over [0, 8], threshold 2.5, divergence 0.0003000116229829178.
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("quantize", "entropy-histogram.json")));
        JsonElement root = doc.RootElement;
        long[] counts = [.. root.GetProperty("counts").EnumerateArray().Select(e => e.GetInt64())];
        var histogram = new AbsHistogram(root.GetProperty("limit").GetDouble(), counts);

        (double threshold, int bin, double divergence) = RangeSearch.Entropy(histogram);

        Assert.Equal(640, root.GetProperty("bin").GetInt32());
        Assert.Equal(root.GetProperty("bin").GetInt32(), bin);
        Assert.Equal(root.GetProperty("threshold").GetDouble(), threshold);
        Assert.Equal(root.GetProperty("divergence").GetDouble(), divergence, 1e-12);
    }
}
