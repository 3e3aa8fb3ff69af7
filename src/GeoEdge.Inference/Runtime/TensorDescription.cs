using Microsoft.ML.OnnxRuntime.Tensors;

namespace GeoEdge.Inference.Runtime;

/// <summary>A model input or output as a session binds it: name, element type and the concrete shape of its buffer.</summary>
public sealed record TensorDescription(string Name, TensorElementType ElementType, long[] Shape)
{
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (long d in Shape)
            {
                n *= d;
            }

            return n;
        }
    }

    public override string ToString() => $"{Name}: {ElementType} [{string.Join(", ", Shape)}]";
}
