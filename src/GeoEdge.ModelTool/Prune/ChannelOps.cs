namespace GeoEdge.ModelTool.Prune;

/// <summary>The operator families structured pruning can carry a channel axis through, by how the axis moves.</summary>
internal static class ChannelOps
{
    /// <summary>Element-wise with one data input: the channel axis and every channel's values stay where they are.</summary>
    public static bool IsUnary(string op) => op is "Relu" or "LeakyRelu" or "Sigmoid" or "Tanh" or "Elu" or "Selu" or "Gelu"
        or "Softplus" or "HardSigmoid" or "HardSwish" or "Identity" or "Dropout" or "Clip" or "Abs" or "Neg" or "Exp" or "Sqrt";

    /// <summary>Broadcasting element-wise with two inputs: safe when the other side is a per-channel constant or the same channels.</summary>
    public static bool IsBinary(string op) => op is "Add" or "Sub" or "Mul" or "Div";

    /// <summary>Reductions with an axes attribute; safe when they do not reduce the channel axis.</summary>
    public static bool IsReduce(string op) => op is "ReduceMax" or "ReduceMin" or "ReduceMean" or "ReduceSum" or "ReduceProd" or "ReduceL1" or "ReduceL2";

    public static bool Propagates(string op) => IsUnary(op) || IsBinary(op) || IsReduce(op)
        || op is "BatchNormalization" or "Transpose" or "Reshape" or "Gather" or "Concat";
}
