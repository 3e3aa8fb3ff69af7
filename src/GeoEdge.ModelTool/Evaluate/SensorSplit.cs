using GeoEdge.Geometry.IO;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>A recorded sensor split: raw windows [M,S,T] (NaN = missing, the mask applied), fault kind [M,S] and window starts [M].</summary>
/// <remarks>The .npz holds raw float32 [M,S,T] in physical units, optional mask uint8 [M,S,T] (1 = missing), kind int64 [M,S]
/// (0 = normal) and start_s int64 [M]: seconds since the recipe's epoch, <see cref="SensorEvaluation.Epoch"/>.</remarks>
internal sealed record SensorSplit(string Path, int Windows, int Sensors, int Samples, float[] Raw, long[] Kind, long[] Start)
{
    /// <summary>Whether sensor-window i (row-major [window, sensor]) is faulty.</summary>
    public bool Faulty(int i) => Kind[i] != 0;

    public bool[] Labels() => System.Array.ConvertAll(Kind, static k => k != 0);

    public static bool Holds(string path) => NpzFile.Read(path).ContainsKey("raw");

    public static SensorSplit Load(string path)
    {
        IReadOnlyDictionary<string, NpyArray> d = NpzFile.Read(path);
        NpyArray raw = Required(d, path, "raw", NpyDType.Float32, 3);
        NpyArray kind = Required(d, path, "kind", NpyDType.Int64, 2);
        NpyArray start = Required(d, path, "start_s", NpyDType.Int64, 1);
        (int m, int s, int t) = (raw.Shape[0], raw.Shape[1], raw.Shape[2]);
        if (kind.Shape[0] != m || kind.Shape[1] != s || start.Shape[0] != m)
        {
            throw new FormatException($"{path}: kind [{string.Join(",", kind.Shape)}] and start_s [{start.Shape[0]}] do not match raw [{m},{s},{t}]");
        }

        float[] values = raw.AsSpan<float>().ToArray();
        if (d.TryGetValue("mask", out NpyArray? mask))
        {
            ApplyMask(mask, values, raw.Shape, path);
        }

        return new SensorSplit(path, m, s, t, values, kind.AsSpan<long>().ToArray(), start.AsSpan<long>().ToArray());
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
