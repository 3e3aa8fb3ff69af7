using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>One generated model input: float32 or int64 values and a shape.</summary>
internal sealed record ProofTensor(string Name, long[] Shape, float[]? Floats, long[]? Longs);

/// <summary>One set of generated inputs and what it stands for ("N=96 G=2 k=16 target-major").</summary>
internal sealed record ProofCase(string Label, bool SatisfiesContract, IReadOnlyList<ProofTensor> Inputs);

/// <summary>Generates graph inputs from a model's declared inputs, the way GeoEdge feeds GNNs (DESIGN.md conventions).</summary>
/// <remarks>
/// Roles by declared type and shape: int64 [2, E] is edge_index (row 0 source j, row 1 target i; E = N * k);
/// int64 [N] is a batch vector (G graphs of equal size, sorted); int64 [1] or scalar is a graph count (G);
/// other int64 tensors are neighbour matrices (values index the dimension before their last); float32
/// tensors are normal(0, 1). Symbolic dimensions: the first dimension of the first rank-2 float input (x [N, F]) is N, a
/// dimension that is symbolic anywhere else is G (the batch). The contract-breaking cases shuffle the edges
/// and give each node a random degree in [1, 2k]; the rewritten model must match the original on them too.
/// </remarks>
internal static class ProofInputs
{
    public const int K = 16;

    public static List<ProofCase> Cases(IReadOnlyList<OnnxValue> inputs, int seed)
    {
        var cases = new List<ProofCase>();
        foreach ((int n, int g) in new[] { (48, 1), (96, 2), (330, 3) })
        {
            cases.Add(Make(inputs, n, g, ordered: true, seed++));
        }

        cases.Add(Make(inputs, 96, 2, ordered: false, seed++));
        cases.Add(Make(inputs, 33, 1, ordered: false, seed));
        return cases;
    }

    public static ProofCase Make(IReadOnlyList<OnnxValue> inputs, int n, int g, bool ordered, int seed)
    {
        var rng = new Random(seed);
        string? nodeSymbol = null;
        foreach (OnnxValue v in inputs)
        {
            if (v.ElementType == TensorData.Float && v.Shape is [{ Param: { } p }, _])
            {
                nodeSymbol = p;
                break;
            }
        }

        (long[] src, long[] dst) = ordered ? TargetMajor(rng, n, g) : Shuffled(rng, n, g);
        var tensors = new List<ProofTensor>(inputs.Count);
        foreach (OnnxValue v in inputs)
        {
            long[] shape = Shape(v, nodeSymbol, n, g, src.Length);
            long size = 1;
            foreach (long d in shape)
            {
                size *= d;
            }

            if (v.ElementType == TensorData.Float)
            {
                var f = new float[size];
                for (int i = 0; i < f.Length; i++)
                {
                    f[i] = (float)Normal(rng);
                }

                tensors.Add(new ProofTensor(v.Name, shape, f, null));
            }
            else if (v.ElementType == TensorData.Int64)
            {
                tensors.Add(new ProofTensor(v.Name, shape, null, Integers(shape, rng, src, dst, n, g)));
            }
            else
            {
                throw new NotSupportedException($"input '{v.Name}' is {v.TypeName}; the optimize proof generates float32 and int64 inputs only");
            }
        }

        string label = $"N={n} G={g} k={(ordered ? K.ToString(System.Globalization.CultureInfo.InvariantCulture) : "1..32")} {(ordered ? "target-major" : "shuffled, variable degree")}";
        return new ProofCase(label, ordered, tensors);
    }

    private static long[] Shape(OnnxValue v, string? nodeSymbol, int n, int g, int edges)
    {
        if (v.Shape is null)
        {
            throw new NotSupportedException($"input '{v.Name}' has no declared shape; the optimize proof cannot size it");
        }

        bool edgeIndex = v.ElementType == TensorData.Int64 && v.Shape is [{ Value: 2 }, _];
        var shape = new long[v.Shape.Count];
        for (int d = 0; d < shape.Length; d++)
        {
            OnnxDimension dim = v.Shape[d];
            shape[d] = edgeIndex && d == 1 ? edges
                : dim.Value is { } fixedSize ? fixedSize
                : dim.Param is { } p && p == nodeSymbol ? n
                : g;
        }

        return shape;
    }

    private static long[] Integers(long[] shape, Random rng, long[] src, long[] dst, int n, int g)
    {
        if (shape is [2, _])
        {
            return [.. src, .. dst];
        }

        if (shape is [] or [1])
        {
            return [g];
        }

        if (shape is [var len] && len == n)
        {
            var batch = new long[n];
            for (int i = 0; i < n; i++)
            {
                batch[i] = GraphOf(i, n, g);
            }

            return batch;
        }

        // A neighbour matrix [.., M, k]: indices into the M points of the same example.
        long points = shape.Length >= 2 ? shape[^2] : n;
        var values = new long[shape.Aggregate(1L, static (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = rng.NextInt64(points);
        }

        return values;
    }

    private static int GraphOf(int node, int n, int g) => Math.Min(g - 1, node / (n / g));

    private static (int Start, int End) Members(int graph, int n, int g) => (graph * (n / g), graph == g - 1 ? n : (graph + 1) * (n / g));

    /// <summary>k random neighbours per node within its graph, edges sorted by target: edge_index[1] = repeat(arange(N), k).</summary>
    private static (long[] Src, long[] Dst) TargetMajor(Random rng, int n, int g)
    {
        var src = new long[n * K];
        var dst = new long[n * K];
        for (int i = 0; i < n; i++)
        {
            (int start, int end) = Members(GraphOf(i, n, g), n, g);
            for (int j = 0; j < K; j++)
            {
                src[(i * K) + j] = rng.Next(start, end);
                dst[(i * K) + j] = i;
            }
        }

        return (src, dst);
    }

    /// <summary>A random degree in [1, 2k] per node, then every edge shuffled: breaks the fixed-degree contract.</summary>
    private static (long[] Src, long[] Dst) Shuffled(Random rng, int n, int g)
    {
        var edges = new List<(long, long)>();
        for (int i = 0; i < n; i++)
        {
            (int start, int end) = Members(GraphOf(i, n, g), n, g);
            int degree = rng.Next(1, (2 * K) + 1);
            for (int j = 0; j < degree; j++)
            {
                edges.Add((rng.Next(start, end), i));
            }
        }

        (long, long)[] shuffled = [.. edges];
        rng.Shuffle(shuffled);
        return (Array.ConvertAll(shuffled, static e => e.Item1), Array.ConvertAll(shuffled, static e => e.Item2));
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
