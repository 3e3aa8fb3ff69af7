using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Tests.Models;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>The C# window encoding equals the recipe's <c>encode</c> on the reference windows, and reports what it filled in.</summary>
[Trait("Category", "Unit")]
public sealed class SensorWindowEncoderTests
{
    private static readonly SensorReference Reference = SensorReference.Instance;

    [Fact]
    public void Encoding_equals_the_recipe_on_every_reference_window()
    {
        using ModelBundle bundle = PipelineBundles.Shipped(ShippedModels.Sensors);
        SensorSettings settings = SensorSettings.Read(bundle.Manifest);
        int cells = Reference.Sensors * Reference.Length * Reference.Channels;
        var x = new float[cells];
        var missing = new int[Reference.Sensors];
        var imputation = new SensorImputation[Reference.Sensors];
        int imputedSensors = 0;

        for (int m = 0; m < Reference.Windows; m++)
        {
            long startSlot = Reference.Start(m).Ticks / (settings.PeriodSeconds * TimeSpan.TicksPerSecond);
            SensorWindowEncoder.Encode(settings, Reference.Window(m), startSlot, x, missing, imputation);

            ReadOnlySpan<float> expected = Reference.X.AsSpan(m * cells, cells);
            for (int i = 0; i < cells; i++)
            {
                Assert.True(Math.Abs(expected[i] - x[i]) <= 1e-6, $"window {m} cell {i} (channel {i % Reference.Channels}): C# {x[i]}, recipe {expected[i]}");
            }

            for (int s = 0; s < Reference.Sensors; s++)
            {
                ReadOnlySpan<float> series = Reference.Window(m).AsSpan(s * Reference.Length, Reference.Length);
                int nan = 0;
                foreach (float v in series)
                {
                    nan += float.IsNaN(v) ? 1 : 0;
                }

                Assert.Equal(nan, missing[s]);
                Assert.Equal(nan == 0 ? SensorImputation.None : nan == Reference.Length ? SensorImputation.SensorMean : SensorImputation.ForwardFilled, imputation[s]);
                imputedSensors += nan > 0 ? 1 : 0;
            }
        }

        Assert.True(imputedSensors > 0, "the reference windows exercise no missing samples");
    }

    [Fact]
    public void Missing_samples_take_the_last_valid_sample_and_leading_ones_the_first()
    {
        using ModelBundle bundle = PipelineBundles.Shipped(ShippedModels.Sensors);
        SensorSettings settings = SensorSettings.Read(bundle.Manifest);
        int w = settings.Window, c = settings.Channels.Length;
        var raw = new float[settings.Sensors.Length * w];
        raw.AsSpan().Fill(float.NaN);
        SensorSpec first = settings.Sensors[0];
        raw[3] = first.Mean + first.Std;
        raw[5] = first.Mean - (2 * first.Std);
        var x = new float[raw.Length * c];
        var missing = new int[settings.Sensors.Length];
        var imputation = new SensorImputation[settings.Sensors.Length];

        SensorWindowEncoder.Encode(settings, raw, 0, x, missing, imputation);

        float[] values = [.. Enumerable.Range(0, 8).Select(t => x[t * c])];
        float[] mask = [.. Enumerable.Range(0, 8).Select(t => x[(t * c) + 1])];
        // (mean + std - mean) / std in float32 is 1 within rounding, not exactly
        Assert.Equal([1f, 1f, 1f, 1f, 1f, -2f, -2f, -2f], values, (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.Equal([1f, 1f, 1f, 0f, 1f, 0f, 1f, 1f], mask);
        Assert.Equal((w - 2, SensorImputation.ForwardFilled), (missing[0], imputation[0]));
        Assert.Equal((w, SensorImputation.SensorMean), (missing[1], imputation[1]));
        Assert.Equal(0f, x[w * c]);
        // slot 0 is midnight: sin 0, cos 1
        Assert.Equal((0f, 1f), (x[2], x[3]));
    }
}
