using System.Text;
using GeoEdge.Geometry.IO;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>A sensor out-of-distribution set: raw windows as a <see cref="SensorSplit"/> holds them, and one OOD kind per window.</summary>
/// <remarks>The .npz (models/training/sensor_stgnn.py --ood-only writes it): raw float32 [M,S,T], optional mask uint8 [M,S,T],
/// start_s int64 [M], kind int64 [M] (index into the kind names) and optional kind_names uint8 (UTF-8, one name a line;
/// without it the kinds are named "kind0", "kind1", ...).</remarks>
internal sealed record SensorOodSet(SensorSplit Split, long[] Kind, IReadOnlyList<string> KindNames)
{
    public static SensorOodSet Load(string path)
    {
        IReadOnlyDictionary<string, NpyArray> d = NpzFile.Read(path);
        SensorSplit split = SensorSplit.Inputs(path, d);
        if (!d.TryGetValue("kind", out NpyArray? kind) || kind.DType != NpyDType.Int64 || kind.Shape.Length != 1 || kind.Shape[0] != split.Windows)
        {
            throw new FormatException($"{path}: an OOD set needs 'kind', int64 [{split.Windows}] (one OOD kind per window)");
        }

        long[] kinds = kind.AsSpan<long>().ToArray();
        long max = -1;
        foreach (long k in kinds)
        {
            max = k >= 0 ? Math.Max(max, k) : throw new FormatException($"{path}: 'kind' holds {k}; kinds are indices from 0");
        }

        List<string> names = [];
        if (d.TryGetValue("kind_names", out NpyArray? text))
        {
            if (text.DType != NpyDType.UInt8 || text.Shape.Length != 1)
            {
                throw new FormatException($"{path}: 'kind_names' must be uint8 [n], UTF-8 names one a line");
            }

            names.AddRange(Encoding.UTF8.GetString(text.AsSpan<byte>()).Split('\n'));
        }

        for (int k = names.Count; k <= max; k++)
        {
            names.Add($"kind{k}");
        }

        return new SensorOodSet(split, kinds, names);
    }
}
