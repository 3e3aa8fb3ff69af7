using GeoEdge.Geometry.IO;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>A recorded sensor split: raw windows [M,S,T] (NaN = missing, the mask applied), fault kind [M,S] and window starts [M].</summary>
/// <remarks>The .npz holds raw float32 [M,S,T] in physical units, optional mask uint8 [M,S,T] (1 = missing), kind int64 [M,S]
/// (0 = normal) and start_s int64 [M]: seconds since the recipe's epoch, <see cref="SensorEvaluation.Epoch"/>. An unlabelled
/// split (<see cref="LoadUnlabelled"/>: drift statistics need only the inputs) may lack kind and start_s: every window is then
/// normal and starts at the epoch.</remarks>
internal sealed record SensorSplit(string Path, int Windows, int Sensors, int Samples, float[] Raw, long[] Kind, long[] Start)
{
    /// <summary>Whether sensor-window i (row-major [window, sensor]) is faulty.</summary>
    public bool Faulty(int i) => Kind[i] != 0;

    public bool[] Labels() => System.Array.ConvertAll(Kind, static k => k != 0);

    /// <summary>Window <paramref name="w"/>, row-major [sensor, time], NaN where missing.</summary>
    public ReadOnlySpan<float> Window(int w) => Raw.AsSpan(w * Sensors * Samples, Sensors * Samples);

    /// <summary>The time of window <paramref name="w"/>'s first sample.</summary>
    public DateTimeOffset StartTime(int w) => SensorEvaluation.Epoch.AddSeconds(Start[w]);

    public static bool Holds(string path) => NpzFile.Read(path).ContainsKey("raw");

    public static SensorSplit Load(string path) => Load(path, labelled: true);

    /// <summary>A split of which only 'raw' (and 'mask') is needed; 'kind' and 'start_s' are read when present.</summary>
    public static SensorSplit LoadUnlabelled(string path) => Load(path, labelled: false);

    /// <summary>The inputs of an already-read split whose 'kind' is not per sensor-window (an OOD set's [M]): every window normal.</summary>
    public static SensorSplit Inputs(string path, IReadOnlyDictionary<string, NpyArray> d) => Load(path, d, labelled: false, kinds: false);

    private static SensorSplit Load(string path, bool labelled) => Load(path, NpzFile.Read(path), labelled, kinds: true);

    private static SensorSplit Load(string path, IReadOnlyDictionary<string, NpyArray> d, bool labelled, bool kinds)
    {
        NpyArray raw = Required(d, path, "raw", NpyDType.Float32, 3);
        (int m, int s, int t) = (raw.Shape[0], raw.Shape[1], raw.Shape[2]);
        long[] kind = labelled || (kinds && d.ContainsKey("kind")) ? Required(d, path, "kind", NpyDType.Int64, 2).AsSpan<long>().ToArray() : new long[m * s];
        long[] start = labelled || d.ContainsKey("start_s") ? Required(d, path, "start_s", NpyDType.Int64, 1).AsSpan<long>().ToArray() : new long[m];
        if (kind.Length != m * s || start.Length != m)
        {
            throw new FormatException($"{path}: kind ({kind.Length} values) and start_s ({start.Length}) do not match raw [{m},{s},{t}]");
        }

        float[] values = raw.AsSpan<float>().ToArray();
        if (d.TryGetValue("mask", out NpyArray? mask))
        {
            ApplyMask(mask, values, raw.Shape, path);
        }

        return new SensorSplit(path, m, s, t, values, kind, start);
    }

    private static void ApplyMask(NpyArray mask, float[] values, int[] shape, string path)
    {
        if (mask.DType != NpyDType.UInt8 || !mask.Shape.AsSpan().SequenceEqual(shape))
        {
            throw new FormatException($"{path}: 'mask' must be uint8 [{string.Join(",", shape)}] like raw");
        }

        ReadOnlySpan<byte> missing = mask.AsSpan<byte>();
        for (int i = 0; i < values.Length; i++)
        {
            if (missing[i] != 0)
            {
                values[i] = float.NaN;
            }
        }
    }

    private static NpyArray Required(IReadOnlyDictionary<string, NpyArray> d, string path, string name, NpyDType type, int rank) =>
        d.TryGetValue(name, out NpyArray? a) && a.DType == type && a.Shape.Length == rank
            ? a
            : throw new FormatException($"{path}: needs '{name}', {type} of rank {rank} (raw [M,S,T] float32, kind [M,S] int64, start_s [M] int64)");
}
