using GeoEdge.Geometry.IO;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>Raw sensor windows from an .npz split: 'raw' float32 [M,S,T] in physical units, NaN or the optional 'mask' uint8
/// [M,S,T] (1 = missing) marking missing samples, and the optional 'start_s' int64 [M] (seconds since <see cref="SensorEvaluation.Epoch"/>).</summary>
internal sealed class SensorWindowSplit
{
    private readonly float[] _values;
    private readonly long[] _starts;

    private SensorWindowSplit(string source, float[] values, long[] starts, int sensors, int samples)
    {
        Source = source;
        _values = values;
        _starts = starts;
        Sensors = sensors;
        Samples = samples;
    }

    public string Source { get; }

    public int Windows => _starts.Length;

    public int Sensors { get; }

    /// <summary>Samples per sensor and window (T).</summary>
    public int Samples { get; }

    /// <summary>Window <paramref name="w"/>, row-major [sensor, time], NaN where missing.</summary>
    public ReadOnlySpan<float> Window(int w) => _values.AsSpan(w * Sensors * Samples, Sensors * Samples);

    /// <summary>The time of window <paramref name="w"/>'s first sample (the epoch itself when the split has no 'start_s').</summary>
    public DateTimeOffset Start(int w) => SensorEvaluation.Epoch.AddSeconds(_starts[w]);

    public static SensorWindowSplit Load(string path)
    {
        IReadOnlyDictionary<string, NpyArray> d = NpzFile.Read(path);
        if (!d.TryGetValue("raw", out NpyArray? raw) || raw.DType != NpyDType.Float32 || raw.Shape.Length != 3)
        {
            throw new FormatException($"{path}: needs 'raw', float32 [M,S,T] (windows, sensors, samples)");
        }

        (int m, int s, int t) = (raw.Shape[0], raw.Shape[1], raw.Shape[2]);
        float[] values = raw.AsSpan<float>().ToArray();
        if (d.TryGetValue("mask", out NpyArray? mask))
        {
            if (mask.DType != NpyDType.UInt8 || !mask.Shape.AsSpan().SequenceEqual(raw.Shape))
            {
                throw new FormatException($"{path}: 'mask' must be uint8 [{m},{s},{t}] like raw");
            }

            ReadOnlySpan<byte> missing = mask.AsSpan<byte>();
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = missing[i] != 0 ? float.NaN : values[i];
            }
        }

        var starts = new long[m];
        if (d.TryGetValue("start_s", out NpyArray? start))
        {
            if (start.DType != NpyDType.Int64 || start.Shape.Length != 1 || start.Shape[0] != m)
            {
                throw new FormatException($"{path}: 'start_s' must be int64 [{m}]");
            }

            start.AsSpan<long>().CopyTo(starts);
        }

        return new SensorWindowSplit(path, values, starts, s, t);
    }
}
