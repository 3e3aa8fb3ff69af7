using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace GeoEdge.ModelTool.Prune;

/// <summary>The concrete shape of every value of a model on one input, measured by running a copy that exposes all node outputs in ONNX Runtime.</summary>
/// <remarks>Measured rather than inferred: widths of concat inputs, ranks and the size a Reshape's -1 resolves to are
/// then facts of the original model, not of a shape inference this repo would have to keep in step with ONNX.</remarks>
internal static class ShapeProbe
{
    public static Dictionary<string, long[]> Measure(ModelProto model, IReadOnlyList<ProofTensor> inputs)
    {
        ModelProto copy = model.Clone();
        var exposed = new HashSet<string>(StringComparer.Ordinal);
        foreach (ValueInfoProto v in copy.Graph.Output)
        {
            exposed.Add(v.Name);
        }

        foreach (NodeProto node in copy.Graph.Node)
        {
            foreach (string o in node.Output)
            {
                if (o.Length > 0 && exposed.Add(o))
                {
                    copy.Graph.Output.Add(new ValueInfoProto { Name = o });
                }
            }
        }

        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };

        // No graph optimizations: fusions would remove the intermediate values this probe asks for.
        options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL;
        using var session = new InferenceSession(copy.ToByteArray(), options);
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (ProofTensor t in inputs)
            {
                values.Add(t.Floats is { } f ? OrtValue.CreateTensorValueFromMemory(f, t.Shape) : OrtValue.CreateTensorValueFromMemory(t.Longs!, t.Shape));
            }

            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [.. inputs.Select(static t => t.Name)], values, session.OutputNames);
            var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
            for (int i = 0; i < outputs.Count; i++)
            {
                if (outputs[i].OnnxType == OnnxValueType.ONNX_TYPE_TENSOR)
                {
                    shapes[session.OutputNames[i]] = outputs[i].GetTensorTypeAndShape().Shape;
                }
            }

            foreach (ProofTensor t in inputs)
            {
                shapes[t.Name] = t.Shape;
            }

            foreach (TensorProto t in model.Graph.Initializer)
            {
                shapes[t.Name] = TensorData.Dims(t);
            }

            return shapes;
        }
        finally
        {
            foreach (OrtValue v in values)
            {
                v.Dispose();
            }
        }
    }
}
