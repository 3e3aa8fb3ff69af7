using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GeoEdge.ModelTool.Quantize;

/// <summary>Runs the float model in ONNX Runtime with chosen intermediate tensors exposed as extra graph outputs and
/// gathers their statistics over a calibration set: one pass for the extremes, a second for |x| histograms.</summary>
internal static class ActivationCollector
{
    public static Dictionary<string, ActivationStatistics> Collect(ModelProto model, IReadOnlyCollection<string> tensors, IReadOnlyList<ProofTensor[]> samples, bool histograms)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(samples);
        ModelProto augmented = model.Clone();
        var outputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (ValueInfoProto o in augmented.Graph.Output)
        {
            outputs.Add(o.Name);
        }

        foreach (string t in tensors)
        {
            if (outputs.Add(t))
            {
                augmented.Graph.Output.Add(new ValueInfoProto { Name = t, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = TensorData.Float } } });
            }
        }

        var stats = new Dictionary<string, ActivationStatistics>(StringComparer.Ordinal);
        foreach (string t in tensors)
        {
            stats[t] = new ActivationStatistics(t);
        }

        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        using var session = new InferenceSession(augmented.ToByteArray(), options);
        string[] names = [.. tensors];
        Pass(session, names, samples, (s, v) => s.AddExtremes(v), stats);
        if (histograms)
        {
            Pass(session, names, samples, (s, v) => s.AddToHistogram(v), stats);
        }

        return stats;
    }

    private static void Pass(InferenceSession session, string[] names, IReadOnlyList<ProofTensor[]> samples, Action<ActivationStatistics, ReadOnlySpan<float>> add, Dictionary<string, ActivationStatistics> stats)
    {
        using var runOptions = new RunOptions();
        foreach (ProofTensor[] sample in samples)
        {
            var inputs = new List<OrtValue>(sample.Length);
            try
            {
                var inputNames = new List<string>(sample.Length);
                foreach (ProofTensor t in sample)
                {
                    inputNames.Add(t.Name);
                    inputs.Add(t.Floats is { } f ? OrtValue.CreateTensorValueFromMemory(f, t.Shape) : OrtValue.CreateTensorValueFromMemory(t.Longs!, t.Shape));
                }

                using IDisposableReadOnlyCollection<OrtValue> values = session.Run(runOptions, inputNames, inputs, names);
                for (int i = 0; i < names.Length; i++)
                {
                    if (values[i].GetTensorTypeAndShape().ElementDataType != TensorElementType.Float)
                    {
                        throw new NotSupportedException($"tensor '{names[i]}' is not float32; only float tensors are calibrated");
                    }

                    add(stats[names[i]], values[i].GetTensorDataAsSpan<float>());
                }
            }
            finally
            {
                foreach (OrtValue v in inputs)
                {
                    v.Dispose();
                }
            }
        }
    }
}
