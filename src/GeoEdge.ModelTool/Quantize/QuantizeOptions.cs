using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Quantize;

/// <summary>What `geoedge-model quantize` was asked for.</summary>
/// <param name="KeepFloat">Node names and op types left in float.</param>
/// <param name="WeightLimit">Largest |q| of a weight: 127, or 63 with --reduce-range (7-bit weights, for x64 CPUs whose
/// U8S8 kernels add pairs of u8 x s8 products in 16 bits and can saturate without VNNI).</param>
internal sealed record QuantizeOptions(bool PerChannel, IReadOnlySet<string> KeepFloat, int WeightLimit = 127)
{
    public bool Keeps(NodeProto node) => KeepFloat.Contains(node.Name) || KeepFloat.Contains(node.OpType);
}
