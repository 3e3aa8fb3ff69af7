using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Tests.Models;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>Bad readings and windows are refused with a countable reason and leave the pipeline working.</summary>
[Trait("Category", "Fault")]
public sealed class SensorReadingFaultTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2024, 3, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly ModelBundle _bundle = PipelineBundles.Shipped(ShippedModels.Sensors);
    private readonly SensorGraphAnomaly _pipeline;

    public SensorReadingFaultTests()
    {
        _pipeline = new SensorGraphAnomaly(_bundle, PipelineBundles.SensorOptions);
    }

    public void Dispose()
    {
        _pipeline.Dispose();
        _bundle.Dispose();
    }

    [Fact]
    public void Unknown_sensors_are_refused()
    {
        Assert.Equal(RejectionReason.UnknownSensor, _pipeline.Add("temp_r99", Noon, 20f));
        Assert.Equal(RejectionReason.UnknownSensor, _pipeline.Add(22, Noon, 20f));
        Assert.Equal(RejectionReason.UnknownSensor, _pipeline.Add(-1, Noon, 20f));
    }

    [Theory]
    [InlineData(float.NaN, RejectionReason.NonFiniteValue)]
    [InlineData(float.PositiveInfinity, RejectionReason.NonFiniteValue)]
    [InlineData(float.NegativeInfinity, RejectionReason.NonFiniteValue)]
    [InlineData(60.001f, RejectionReason.ValueOutOfRange)]
    [InlineData(-20.5f, RejectionReason.ValueOutOfRange)]
    [InlineData(60f, RejectionReason.None)]
    [InlineData(-20f, RejectionReason.None)]
    public void Temperature_readings_must_be_finite_and_within_the_physical_range(float value, RejectionReason expected)
    {
        Assert.Equal(expected, _pipeline.Add("temp_r1", Noon, value));
    }

    [Fact]
    public void A_refused_reading_leaves_its_slot_missing()
    {
        int w = _pipeline.Window;
        for (int t = 0; t < w; t++)
        {
            Assert.Equal(RejectionReason.None, _pipeline.Add("vib_lab", Noon + (t * _pipeline.SamplingPeriod), 0.5f));
        }

        Assert.Equal(RejectionReason.ValueOutOfRange, _pipeline.Add("vib_lab", Noon + (w * _pipeline.SamplingPeriod), 80f));

        SensorScore vib = SensorGraphAnomalyTests.Succeeded(_pipeline.Score(Noon + (w * _pipeline.SamplingPeriod))).Sensors[_pipeline.SensorIndex("vib_lab")];
        Assert.Equal((1, SensorImputation.ForwardFilled), (vib.MissingSamples, vib.Imputation));
    }

    [Fact]
    public void A_reading_older_than_the_window_is_too_late()
    {
        int w = _pipeline.Window;
        Assert.Equal(RejectionReason.None, _pipeline.Add(0, Noon, 20f));
        Assert.Equal(RejectionReason.None, _pipeline.Add(0, Noon - ((w - 1) * _pipeline.SamplingPeriod), 20f));
        Assert.Equal(RejectionReason.TooLate, _pipeline.Add(0, Noon - (w * _pipeline.SamplingPeriod), 20f));
        // other sensors have their own rings
        Assert.Equal(RejectionReason.None, _pipeline.Add(1, Noon - (w * _pipeline.SamplingPeriod), 20f));
        _pipeline.Clear();
        Assert.Equal(RejectionReason.None, _pipeline.Add(0, Noon - (w * _pipeline.SamplingPeriod), 20f));
    }

    [Fact]
    public void A_whole_window_of_the_wrong_size_is_the_wrong_shape()
    {
        PipelineResult<SensorWindowScores> result = _pipeline.ScoreWindow(new float[(22 * 64) - 1], Noon);

        Assert.Equal(RejectionReason.WrongShape, result.Reason);
        Assert.Contains("1407 samples; the model takes 22 sensors x 64 samples = 1408", result.Rejection!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_samples_of_a_whole_window_are_masked_and_counted()
    {
        SensorReference reference = SensorReference.Instance;
        float[] raw = reference.Window(0);
        int w = _pipeline.Window;
        float[] masked = (float[])raw.Clone();
        raw[(2 * w) + 30] = 150f;                     // temperature far outside [-20, 60]
        raw[(19 * w) + 4] = float.PositiveInfinity;
        masked[(2 * w) + 30] = float.NaN;
        masked[(19 * w) + 4] = float.NaN;

        SensorWindowScores bad = SensorGraphAnomalyTests.Succeeded(_pipeline.ScoreWindow(raw, reference.Start(0)));
        SensorWindowScores expected = SensorGraphAnomalyTests.Succeeded(_pipeline.ScoreWindow(masked, reference.Start(0)));

        Assert.Equal((1, 1), (bad.Sensors[2].RejectedSamples, bad.Sensors[19].RejectedSamples));
        Assert.Equal(expected.Sensors.Select(s => s.Score), bad.Sensors.Select(s => s.Score));
        Assert.Equal(expected.Sensors.Select(s => s.MissingSamples), bad.Sensors.Select(s => s.MissingSamples));
    }
}
