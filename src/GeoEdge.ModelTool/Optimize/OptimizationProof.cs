using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>The worst disagreement between the original and the rewritten model on one generated case.</summary>
internal sealed record ProofResult(string Case, string Output, double MaxRelativeError, bool ShapesMatch)
{
    public bool Passes(double tolerance) => ShapesMatch && MaxRelativeError <= tolerance;
}

/// <summary>Runs original and rewritten model on the same generated inputs and measures how far their outputs differ.</summary>
/// <remarks>Relative error of an output: max |optimized - original| / max |original| over its elements (the infinity-norm
/// relative error). Element-wise ratios would judge an embedding's near-zero means by float32 rounding noise: folding
/// BatchNormalization into shapes-dgcnn changes the last bits of values ~1e4 times smaller than the output's largest.</remarks>
internal static class OptimizationProof
{
    public const double Tolerance = 1e-5;

    public static List<ProofResult> Run(byte[] original, byte[] optimized, IReadOnlyList<ProofCase> cases)
    {
        using var a = new OrtEvaluator(original);
        using var b = new OrtEvaluator(optimized);
        var results = new List<ProofResult>();
        foreach (ProofCase c in cases)
        {
            List<ProofOutput> expected = a.Run(c.Inputs);
            List<ProofOutput> actual = b.Run(c.Inputs);
            for (int o = 0; o < expected.Count; o++)
            {
                ProofOutput e = expected[o];
                ProofOutput? g = actual.Find(x => x.Name == e.Name);
                bool shapes = g is not null && e.Shape.AsSpan().SequenceEqual(g.Shape);
                results.Add(new ProofResult(c.Label, e.Name, shapes ? MaxRelativeError(e.Values, g!.Values) : double.PositiveInfinity, shapes));
            }
        }

        return results;
    }

    internal static double MaxRelativeError(double[] expected, double[] actual)
    {
        double scale = 0;
        foreach (double x in expected)
        {
            scale = Math.Max(scale, Math.Abs(x));
        }

        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            if (double.IsNaN(error))
            {
                // NaN on both sides agrees; NaN on one side is infinitely wrong.
                error = double.IsNaN(expected[i]) && double.IsNaN(actual[i]) ? 0 : double.PositiveInfinity;
            }

            worst = Math.Max(worst, error);
        }

        return worst == 0 ? 0 : worst / Math.Max(scale, 1e-30);
    }

    /// <summary>The declared inputs of a model, for <see cref="ProofInputs"/>.</summary>
    public static IReadOnlyList<OnnxValue> Inputs(ModelProto model)
    {
        var initializers = new HashSet<string>(StringComparer.Ordinal);
        foreach (TensorProto t in model.Graph.Initializer)
        {
            initializers.Add(t.Name);
        }

        var inputs = new List<OnnxValue>();
        foreach (ValueInfoProto v in model.Graph.Input)
        {
            if (!initializers.Contains(v.Name))
            {
                inputs.Add(OnnxValue.From(v));
            }
        }

        return inputs;
    }
}
