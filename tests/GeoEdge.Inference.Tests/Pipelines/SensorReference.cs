using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Tests.Models;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>sensor-stgnn's reference.npz: raw windows (NaN = missing), their start times, the recipe's encoding and PyTorch's scores.</summary>
internal sealed class SensorReference
{
    /// <summary>The recipe's data count seconds from 2024-01-01T00:00 local time (start_s).</summary>
    public static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<SensorReference> Loaded = new(() => new SensorReference());

    private SensorReference()
    {
        Dictionary<string, NpyArray> r = ShippedModels.ReadNpz(ShippedModels.File(ShippedModels.Sensors, "reference.npz"), "raw", "start_s", "x", "scores");
        (Windows, Sensors, Length) = (r["raw"].Shape[0], r["raw"].Shape[1], r["raw"].Shape[2]);
        Channels = r["x"].Shape[3];
        Raw = r["raw"].AsSpan<float>().ToArray();
        StartSeconds = r["start_s"].AsSpan<long>().ToArray();
        X = r["x"].AsSpan<float>().ToArray();
        Scores = r["scores"].AsSpan<float>().ToArray();
    }

    public static SensorReference Instance => Loaded.Value;

    public int Windows { get; }

    public int Sensors { get; }

    public int Length { get; }

    public int Channels { get; }

    public float[] Raw { get; }

    public long[] StartSeconds { get; }

    public float[] X { get; }

    public float[] Scores { get; }

    public float[] Window(int m) => Raw.AsSpan(m * Sensors * Length, Sensors * Length).ToArray();

    public DateTimeOffset Start(int m) => Epoch.AddSeconds(StartSeconds[m]);
}
