namespace GeoEdge.ModelTool.Quantize;

/// <summary>What a quantization pass changed: nodes quantized per op type, nodes kept in float, activations given Q/DQ.</summary>
internal sealed class QuantizeReport
{
    public SortedDictionary<string, int> Quantized { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> KeptFloat { get; } = new(StringComparer.Ordinal);

    /// <summary>Names of the quantizable nodes left in float (--keep-float), in graph order.</summary>
    public List<string> KeptFloatNodes { get; } = [];

    public int Activations { get; set; }

    public void Count(SortedDictionary<string, int> into, string op) => into[op] = into.GetValueOrDefault(op) + 1;
}
