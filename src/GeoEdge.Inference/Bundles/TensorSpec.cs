namespace GeoEdge.Inference.Bundles;

/// <summary>One model input or output: name, element type and shape (-1 or a symbol for a dynamic dimension).</summary>
public sealed record TensorSpec
{
    public required string Name { get; init; }

    /// <summary>One of <see cref="TensorDtypes.All"/>, numpy spelling ("float32", "int64").</summary>
    public required string Dtype { get; init; }

    public required IReadOnlyList<TensorDimension> Shape { get; init; }
}

/// <summary>Element type names a manifest may use: numpy's spelling, which PyTorch exporters print.</summary>
public static class TensorDtypes
{
    public static IReadOnlyList<string> All { get; } =
    [
        "bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
        "float16", "bfloat16", "float32", "float64", "string",
    ];

    public static bool IsKnown(string dtype) => All.Contains(dtype, StringComparer.Ordinal);
}
