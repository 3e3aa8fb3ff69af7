using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Prune;

/// <summary>Removes or zeroes positions along one axis of a float initializer, in place.</summary>
internal static class TensorSlicing
{
    /// <summary>Keeps the positions of <paramref name="axis"/> not in <paramref name="removed"/>.</summary>
    public static void Remove(TensorProto t, int axis, IReadOnlySet<int> removed)
    {
        (float[] values, long[] dims, long outer, long inner) = Layout(t, axis);
        long size = dims[axis];
        long kept = size - removed.Count;
        var result = new float[outer * kept * inner];
        long r = 0;
        for (long o = 0; o < outer; o++)
        {
            for (long c = 0; c < size; c++)
            {
                if (removed.Contains((int)c))
                {
                    continue;
                }

                Array.Copy(values, ((o * size) + c) * inner, result, r, inner);
                r += inner;
            }
        }

        dims[axis] = kept;
        Replace(t, result, dims);
    }

    /// <summary>Sets the positions <paramref name="removed"/> of <paramref name="axis"/> to zero, keeping the shape.</summary>
    public static void Zero(TensorProto t, int axis, IReadOnlySet<int> removed)
    {
        (float[] values, long[] dims, long outer, long inner) = Layout(t, axis);
        long size = dims[axis];
        for (long o = 0; o < outer; o++)
        {
            foreach (int c in removed)
            {
                Array.Clear(values, (int)(((o * size) + c) * inner), (int)inner);
            }
        }

        Replace(t, values, dims);
    }

    public static void Replace(TensorProto t, float[] values, long[] dims)
    {
        TensorProto fresh = TensorData.FromFloats(t.Name, values, dims);
        t.FloatData.Clear();
        t.RawData = fresh.RawData;
        t.Dims.Clear();
        t.Dims.AddRange(dims);
    }

    private static (float[] Values, long[] Dims, long Outer, long Inner) Layout(TensorProto t, int axis)
    {
        float[] values = TensorData.Floats(t) ?? throw new PruneRefusedException($"initializer '{t.Name}' is not float32");
        long[] dims = TensorData.Dims(t);
        long outer = 1;
        long inner = 1;
        for (int d = 0; d < axis; d++)
        {
            outer *= dims[d];
        }

        for (int d = axis + 1; d < dims.Length; d++)
        {
            inner *= dims[d];
        }

        return (values, dims, outer, inner);
    }
}
