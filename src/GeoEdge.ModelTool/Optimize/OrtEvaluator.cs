using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>One model output read back as doubles, with its shape.</summary>
internal sealed record ProofOutput(string Name, long[] Shape, double[] Values);

/// <summary>Runs a model held in memory once in ONNX Runtime (CPU, one thread, all graph optimizations) on generated inputs.</summary>
internal sealed class OrtEvaluator : IDisposable
{
    private readonly InferenceSession _session;

    public OrtEvaluator(byte[] model)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        _session = new InferenceSession(model, options);
    }

    public List<ProofOutput> Run(IReadOnlyList<ProofTensor> inputs)
    {
        var values = new List<OrtValue>(inputs.Count);
        var names = new List<string>(inputs.Count);
        try
        {
            foreach (ProofTensor t in inputs)
            {
                names.Add(t.Name);
                values.Add(t.Floats is { } f ? OrtValue.CreateTensorValueFromMemory(f, t.Shape) : OrtValue.CreateTensorValueFromMemory(t.Longs!, t.Shape));
            }

            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(runOptions, names, values, _session.OutputNames);
            var result = new List<ProofOutput>(outputs.Count);
            for (int o = 0; o < outputs.Count; o++)
            {
                OrtValue v = outputs[o];
                OrtTensorTypeAndShapeInfo info = v.GetTensorTypeAndShape();
                double[] data = info.ElementDataType switch
                {
                    TensorElementType.Float => Array.ConvertAll(v.GetTensorDataAsSpan<float>().ToArray(), static x => (double)x),
                    TensorElementType.Double => v.GetTensorDataAsSpan<double>().ToArray(),
                    TensorElementType.Int64 => Array.ConvertAll(v.GetTensorDataAsSpan<long>().ToArray(), static x => (double)x),
                    TensorElementType.Int32 => Array.ConvertAll(v.GetTensorDataAsSpan<int>().ToArray(), static x => (double)x),
                    _ => throw new NotSupportedException($"output '{_session.OutputNames[o]}' is {info.ElementDataType}; the optimize proof compares float and integer outputs"),
                };
                result.Add(new ProofOutput(_session.OutputNames[o], info.Shape, data));
            }

            return result;
        }
        finally
        {
            foreach (OrtValue v in values)
            {
                v.Dispose();
            }
        }
    }

    public void Dispose() => _session.Dispose();
}
