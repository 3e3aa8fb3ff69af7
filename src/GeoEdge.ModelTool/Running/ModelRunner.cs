using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Runtime;
using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Running;

/// <summary>Runs any ONNX model once on given arrays through <see cref="ModelSession"/> and returns its outputs as .npy arrays.</summary>
public static class ModelRunner
{
    /// <summary>Feeds <paramref name="arrays"/> (one per input of <paramref name="model"/>), runs once, returns the outputs in model order.</summary>
    /// <remarks>Input shapes come from the arrays, and the output shapes from a probe run on the same values, so
    /// outputs whose size depends on input values (NonZero) come out right.</remarks>
    public static IReadOnlyList<KeyValuePair<string, NpyArray>> Run(string modelPath, OnnxModel model, IReadOnlyList<InputArray> arrays)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(arrays);
        OnnxModelSummary summary = OnnxModelSummary.Of(model);
        var names = new List<string>(arrays.Count);
        foreach (InputArray a in arrays)
        {
            names.Add(a.Name);
        }

        List<string> missing = InputCheck.Missing(summary.Inputs, names);
        if (missing.Count > 0)
        {
            throw new ModelInputException($"no array for model input(s) {string.Join(", ", missing)}");
        }

        InputCheck.Fit(summary.Inputs, arrays);
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var values = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (InputArray a in arrays)
        {
            shapes[a.Name] = Array.ConvertAll(a.Array.Shape, static d => (long)d);
            values[a.Name] = a.Array.Data;
        }

        var options = new ModelSessionOptions { InputShapes = shapes, ShapeProbeInputs = values, MaxConcurrency = 1, WarmupRuns = 0 };
        using ModelSession session = ModelSession.Load(modelPath, options);
        using InferenceLease lease = session.Rent();
        for (int i = 0; i < session.Inputs.Count; i++)
        {
            values[session.Inputs[i].Name].Span.CopyTo(lease.InputBytes(i));
        }

        lease.Run();
        var outputs = new List<KeyValuePair<string, NpyArray>>(session.Outputs.Count);
        for (int o = 0; o < session.Outputs.Count; o++)
        {
            TensorDescription d = session.Outputs[o];
            NpyDType dtype = NpyElementTypes.FromOrt(d.ElementType)
                ?? throw new NotSupportedException($"output '{d.Name}' is {d.ElementType}, which .npy output here cannot hold (bool, int32, int64, float32, float64)");
            int[] shape = Array.ConvertAll(d.Shape, static x => checked((int)x));
            outputs.Add(new(d.Name, new NpyArray(dtype, shape, lease.OutputBytes(o).ToArray())));
        }

        return outputs;
    }
}
