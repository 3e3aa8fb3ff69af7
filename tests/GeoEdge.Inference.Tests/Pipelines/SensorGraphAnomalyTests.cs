using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Tests.Models;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>The sensor pipeline on the shipped sensor-stgnn model: readings in, PyTorch's per-sensor scores out.</summary>
[Trait("Category", "Integration")]
public sealed class SensorGraphAnomalyTests : IDisposable
{
    private static readonly SensorReference Reference = SensorReference.Instance;
    private readonly ModelBundle _bundle = PipelineBundles.Shipped(ShippedModels.Sensors);
    private readonly SensorGraphAnomaly _pipeline;

    public SensorGraphAnomalyTests()
    {
        _pipeline = new SensorGraphAnomaly(_bundle, PipelineBundles.SensorOptions);
    }

    public void Dispose()
    {
        _pipeline.Dispose();
        _bundle.Dispose();
    }

    [Fact]
    public void Raw_reference_windows_give_the_pytorch_scores_and_the_manifest_thresholds_decide()
    {
        for (int m = 0; m < Reference.Windows; m++)
        {
            SensorWindowScores scores = Succeeded(_pipeline.ScoreWindow(Reference.Window(m), Reference.Start(m)));

            Assert.Equal(Reference.Start(m), scores.WindowStart);
            AssertScores(m, scores);
            foreach (SensorScore s in scores.Sensors)
            {
                Assert.Equal(_pipeline.SensorName(s.Index), s.Name);
                Assert.Equal(s.Score > s.Threshold, s.IsAnomalous);
                Assert.Equal(0, s.RejectedSamples);
            }
        }
    }

    [Fact]
    public void Encode_writes_the_recipes_encoding_of_every_reference_window()
    {
        int size = Reference.Sensors * Reference.Length * Reference.Channels;
        var x = new float[size];
        for (int m = 0; m < Reference.Windows; m++)
        {
            _pipeline.Encode(Reference.Window(m), Reference.Start(m), x);

            float[] expected = Reference.X.AsSpan(m * size, size).ToArray();
            Assert.True(expected.Zip(x).All(static p => Math.Abs(p.First - p.Second) <= 1e-6f), $"window {m} differs from the recipe's encoding");
        }

        Assert.Throws<ArgumentException>(() => _pipeline.Encode(Reference.Window(0), Reference.Start(0), new float[size - 1]));
    }

    [Fact]
    public void Readings_arriving_in_any_order_and_off_the_grid_fill_the_same_window()
    {
        const int m = 2;
        float[] raw = Reference.Window(m);
        DateTimeOffset start = Reference.Start(m);
        int w = _pipeline.Window;
        // newest first, every reading up to 2 min 29 s off its slot: the ring places each on the nearest slot
        for (int t = w - 1; t >= 0; t--)
        {
            for (int s = 0; s < _pipeline.SensorCount; s++)
            {
                float v = raw[(s * w) + t];
                if (!float.IsNaN(v))
                {
                    TimeSpan jitter = TimeSpan.FromSeconds(((s + t) % 3) switch { 0 => -149, 1 => 149, _ => 0 });
                    Assert.Equal(RejectionReason.None, _pipeline.Add(_pipeline.SensorName(s), start + (t * _pipeline.SamplingPeriod) + jitter, v));
                }
            }
        }

        SensorWindowScores scores = Succeeded(_pipeline.Score(start + ((w - 1) * _pipeline.SamplingPeriod)));

        Assert.Equal(start, scores.WindowStart);
        AssertScores(m, scores);
    }

    [Fact]
    public void A_reading_for_a_slot_already_filled_replaces_it()
    {
        const int m = 0;
        float[] raw = Reference.Window(m);
        Feed(raw, Reference.Start(m));
        int t = 10, s = 3, w = _pipeline.Window;
        Assert.False(float.IsNaN(raw[(s * w) + t]));
        Assert.Equal(RejectionReason.None, _pipeline.Add(s, Reference.Start(m) + (t * _pipeline.SamplingPeriod), raw[(s * w) + t] + 5f));
        raw[(s * w) + t] += 5f;

        SensorWindowScores streamed = Succeeded(_pipeline.Score(Reference.Start(m) + ((w - 1) * _pipeline.SamplingPeriod)));
        SensorWindowScores direct = Succeeded(_pipeline.ScoreWindow(raw, Reference.Start(m)));

        Assert.Equal(Scores(direct), Scores(streamed));
    }

    [Fact]
    public void Slots_without_readings_are_masked_and_reported_as_imputed()
    {
        const int m = 1;
        float[] raw = Reference.Window(m);
        int w = _pipeline.Window;
        raw.AsSpan(0, w).Fill(float.NaN);              // sensor 0 silent for the whole window
        raw.AsSpan((5 * w) + 20, 7).Fill(float.NaN);   // sensor 5 misses 7 samples
        Feed(raw, Reference.Start(m));

        SensorWindowScores scores = Succeeded(_pipeline.Score(Reference.Start(m) + ((w - 1) * _pipeline.SamplingPeriod)));

        Assert.Equal((w, SensorImputation.SensorMean), (scores.Sensors[0].MissingSamples, scores.Sensors[0].Imputation));
        Assert.Equal(SensorImputation.ForwardFilled, scores.Sensors[5].Imputation);
        Assert.True(scores.Sensors[5].MissingSamples >= 7);
        Assert.True(scores.AnyImputed);
        Assert.Equal(Scores(Succeeded(_pipeline.ScoreWindow(raw, Reference.Start(m)))), Scores(scores));
    }

    [Fact]
    public void A_window_ending_after_the_last_reading_reports_the_missing_tail()
    {
        const int m = 4;
        Feed(Reference.Window(m), Reference.Start(m));

        SensorWindowScores scores = Succeeded(_pipeline.Score(Reference.Start(m) + ((_pipeline.Window - 1 + 3) * _pipeline.SamplingPeriod)));

        Assert.Equal(Reference.Start(m) + (3 * _pipeline.SamplingPeriod), scores.WindowStart);
        Assert.All(scores.Sensors, s => Assert.True(s.MissingSamples >= 3 && s.Imputation != SensorImputation.None));
    }

    private void Feed(float[] raw, DateTimeOffset start)
    {
        int w = _pipeline.Window;
        for (int s = 0; s < _pipeline.SensorCount; s++)
        {
            for (int t = 0; t < w; t++)
            {
                if (!float.IsNaN(raw[(s * w) + t]))
                {
                    Assert.Equal(RejectionReason.None, _pipeline.Add(s, start + (t * _pipeline.SamplingPeriod), raw[(s * w) + t]));
                }
            }
        }
    }

    private static void AssertScores(int m, SensorWindowScores scores)
    {
        Assert.Equal(Reference.Sensors, scores.Sensors.Count);
        for (int s = 0; s < Reference.Sensors; s++)
        {
            float expected = Reference.Scores[(m * Reference.Sensors) + s];
            Assert.True(Math.Abs(expected - scores.Sensors[s].Score) <= 1e-4, $"window {m} sensor {s}: pipeline {scores.Sensors[s].Score}, PyTorch {expected}");
        }
    }

    private static float[] Scores(SensorWindowScores scores) => [.. scores.Sensors.Select(s => s.Score)];

    internal static SensorWindowScores Succeeded(PipelineResult<SensorWindowScores> result)
    {
        Assert.True(result.IsSuccess, result.ToString());
        return result.Value!;
    }
}
