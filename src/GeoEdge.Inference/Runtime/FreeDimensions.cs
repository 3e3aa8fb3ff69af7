using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace GeoEdge.Inference.Runtime;

/// <summary>The values a session's named symbolic input dimensions (a dynamic batch "B") take for its fixed-shape buffers.</summary>
/// <remarks>
/// A <see cref="ModelSession"/> runs every call with the same input shapes, so a dimension such as the batch is a constant
/// for the session's lifetime. Telling ONNX Runtime so (free dimension overrides) lets its optimizer fold the shape
/// arithmetic an export leaves around a dynamic batch (Shape, Gather, Range, Concat, Reshape of computed shapes), which
/// costs a few microseconds per node on every run. Only names bound to one value by every input that uses them are bound.
/// </remarks>
internal static class FreeDimensions
{
    /// <summary>Named symbolic dimensions of <paramref name="metadata"/>'s inputs and the sizes <paramref name="inputs"/> give them.</summary>
    public static Dictionary<string, long> Bind(IReadOnlyDictionary<string, NodeMetadata> metadata, TensorDescription[] inputs)
    {
        var bound = new Dictionary<string, long>(StringComparer.Ordinal);
        var conflicting = new HashSet<string>(StringComparer.Ordinal);
        foreach (TensorDescription input in inputs)
        {
            if (!metadata.TryGetValue(input.Name, out NodeMetadata? node))
            {
                continue;
            }

            string[] names = node.SymbolicDimensions;
            for (int d = 0; d < names.Length && d < input.Shape.Length; d++)
            {
                if (node.Dimensions[d] >= 0 || string.IsNullOrEmpty(names[d]))
                {
                    continue;
                }

                if (bound.TryGetValue(names[d], out long value) && value != input.Shape[d])
                {
                    conflicting.Add(names[d]);
                }

                bound[names[d]] = input.Shape[d];
            }
        }

        foreach (string name in conflicting)
        {
            bound.Remove(name);
        }

        return bound;
    }

    /// <summary>Registers <paramref name="bound"/> on <paramref name="options"/>, before a session is created with them.</summary>
    public static void Apply(SessionOptions options, Dictionary<string, long> bound)
    {
        foreach (KeyValuePair<string, long> entry in bound)
        {
            options.AddFreeDimensionOverrideByName(entry.Key, entry.Value);
        }
    }

    /// <summary>A stable text of <paramref name="bound"/> for cache keys ("B=1,N=1024"), empty when nothing is bound.</summary>
    public static string Describe(Dictionary<string, long> bound) =>
        string.Join(',', bound.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key}={e.Value}")));
}
