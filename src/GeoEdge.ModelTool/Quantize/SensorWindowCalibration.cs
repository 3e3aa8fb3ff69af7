using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.ModelTool.Evaluate;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Quantize;

/// <summary>A static-quantization calibration set from a recorded sensor split (raw windows, as evaluate reads them), each window encoded as the device encodes it.</summary>
/// <remarks>The encoder is the pipeline's own (<see cref="SensorGraphAnomaly.Encode"/>: out-of-range samples made missing,
/// forward fill, per-sensor normalisation, time of day from start_s), so the activations calibrated are those the device
/// produces; the first <c>maxSamples</c> windows, batch 1, in split order.</remarks>
internal static class SensorWindowCalibration
{
    public static List<ProofTensor[]> Load(string path, ModelBundle bundle, ModelProto model, int maxSamples)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(model);
        var initializers = new HashSet<string>(model.Graph.Initializer.Select(static t => t.Name), StringComparer.Ordinal);
        string[] inputs = [.. model.Graph.Input.Select(static v => v.Name).Where(n => !initializers.Contains(n))];
        if (inputs.Length != 1)
        {
            throw new FormatException($"{bundle.Source}: a sensor model takes one input, this one {inputs.Length} ({string.Join(", ", inputs)})");
        }

        SensorSplit split = SensorSplit.Load(path);
        using var pipeline = new SensorGraphAnomaly(bundle);
        int window = split.Sensors * split.Samples;
        int channels = bundle.Manifest.Preprocessing?.Features?.Count ?? throw new FormatException($"{bundle.Source}: $.preprocessing.features missing");
        var samples = new List<ProofTensor[]>();
        for (int w = 0; w < Math.Min(split.Windows, maxSamples); w++)
        {
            var x = new float[window * channels];
            pipeline.Encode(split.Window(w), split.StartTime(w), x);
            samples.Add([new ProofTensor(inputs[0], [1, split.Sensors, split.Samples, channels], x, null)]);
        }

        return samples;
    }
}
