namespace GeoEdge.ModelTool.Onnx;

/// <summary>One dimension of a declared shape: a fixed size, a symbolic name, or neither (unknown).</summary>
public readonly record struct OnnxDimension(long? Value, string? Param)
{
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Param ?? "?";
}

/// <summary>A graph input or output as declared: name, element type code and shape (null when the type is not a tensor or has no shape).</summary>
/// <param name="IsTensor">False for sequence, map, optional and sparse types, which this tool does not model.</param>
public sealed record OnnxValue(string Name, int ElementType, IReadOnlyList<OnnxDimension>? Shape, bool IsTensor = true)
{
    public string TypeName => IsTensor ? OnnxElementType.Name(ElementType) : "non-tensor";

    public string ShapeText => Shape is null ? "unknown" : "[" + string.Join(", ", Shape) + "]";

    internal static OnnxValue From(ValueInfoProto info)
    {
        TypeProto.Types.Tensor? tensor = info.Type?.TensorType;
        if (tensor is null)
        {
            return new OnnxValue(info.Name, 0, null, IsTensor: false);
        }

        if (tensor.Shape is null)
        {
            return new OnnxValue(info.Name, tensor.ElemType, null);
        }

        var dims = new OnnxDimension[tensor.Shape.Dim.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            TensorShapeProto.Types.Dimension d = tensor.Shape.Dim[i];
            dims[i] = d.ValueCase switch
            {
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => new OnnxDimension(d.DimValue, null),
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => new OnnxDimension(null, d.DimParam),
                _ => default,
            };
        }

        return new OnnxValue(info.Name, tensor.ElemType, dims);
    }
}
