using GeoEdge.Geometry.IO;
using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Running;

/// <summary>Checks arrays against a model's declared inputs before ONNX Runtime sees them, so errors name the input and the file.</summary>
internal static class InputCheck
{
    /// <summary>Declared inputs with no array given, in declaration order.</summary>
    public static List<string> Missing(IReadOnlyList<OnnxValue> declared, IReadOnlyCollection<string> given)
    {
        var missing = new List<string>();
        foreach (OnnxValue input in declared)
        {
            if (!given.Contains(input.Name))
            {
                missing.Add(input.Name);
            }
        }

        return missing;
    }

    /// <summary>Given names that are not declared inputs, in the order given.</summary>
    public static List<string> Unknown(IReadOnlyList<OnnxValue> declared, IEnumerable<string> given)
    {
        var unknown = new List<string>();
        foreach (string name in given)
        {
            if (Find(declared, name) is null)
            {
                unknown.Add(name);
            }
        }

        return unknown;
    }

    /// <summary>Throws <see cref="ModelInputException"/> unless every array has its input's dtype, rank, fixed dims and agreeing symbolic dims.</summary>
    public static void Fit(IReadOnlyList<OnnxValue> declared, IReadOnlyList<InputArray> arrays)
    {
        // ONNX's IR: every use of one dim_param in a graph is the same size, so e.g. pos and nbr must agree on num_points.
        var symbols = new Dictionary<string, (int Size, string Input)>(StringComparer.Ordinal);
        foreach (InputArray given in arrays)
        {
            OnnxValue input = Find(declared, given.Name) ?? throw new ModelInputException($"model has no input named '{given.Name}'");
            string what = $"input '{given.Name}' ({given.Origin})";
            NpyDType? expected = NpyElementTypes.FromOnnx(input.ElementType);
            if (expected is null)
            {
                throw new ModelInputException($"{what}: the model wants {input.TypeName}, which .npy input here cannot give (bool, int32, int64, float32, float64)");
            }

            if (given.Array.DType != expected)
            {
                throw new ModelInputException($"{what}: dtype {NpyElementTypes.Name(given.Array.DType)} given, model expects {input.TypeName}");
            }

            int[] shape = given.Array.Shape;
            if (input.Shape is null)
            {
                continue;
            }

            if (input.Shape.Count != shape.Length)
            {
                throw new ModelInputException($"{what}: shape {NpyElementTypes.ShapeText(shape)} has rank {shape.Length}, model declares {input.ShapeText} (rank {input.Shape.Count})");
            }

            for (int d = 0; d < shape.Length; d++)
            {
                OnnxDimension dim = input.Shape[d];
                if (dim.Value is long fixedSize && fixedSize != shape[d])
                {
                    throw new ModelInputException($"{what}: dimension {d} is {shape[d]}, model fixes it at {fixedSize} (declared {input.ShapeText})");
                }

                if (dim.Param is string symbol)
                {
                    if (symbols.TryGetValue(symbol, out (int Size, string Input) seen) && seen.Size != shape[d])
                    {
                        throw new ModelInputException($"{what}: dimension {d} ({symbol}) is {shape[d]}, but input '{seen.Input}' has {symbol} = {seen.Size}");
                    }

                    symbols[symbol] = (shape[d], given.Name);
                }
            }
        }
    }

    private static OnnxValue? Find(IReadOnlyList<OnnxValue> declared, string name)
    {
        foreach (OnnxValue v in declared)
        {
            if (v.Name == name)
            {
                return v;
            }
        }

        return null;
    }
}
