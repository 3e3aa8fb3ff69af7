using Microsoft.ML.OnnxRuntime;

namespace GeoEdge.Inference.Runtime;

/// <summary>One caller's pre-allocated input and output buffers, bound once to an IoBinding so a run allocates nothing.</summary>
internal sealed class InferenceSlot : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions;

    public InferenceSlot(InferenceSession session, TensorBuffer[] inputs, TensorBuffer[] outputs)
    {
        _session = session;
        Inputs = inputs;
        Outputs = outputs;
        _runOptions = new RunOptions();
        _binding = session.CreateIoBinding();
        foreach (TensorBuffer input in inputs)
        {
            _binding.BindInput(input.Name, input.Value);
        }

        foreach (TensorBuffer output in outputs)
        {
            _binding.BindOutput(output.Name, output.Value);
        }
    }

    public TensorBuffer[] Inputs { get; }

    public TensorBuffer[] Outputs { get; }

    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        _runOptions.Dispose();
        foreach (TensorBuffer b in Inputs)
        {
            b.Dispose();
        }

        foreach (TensorBuffer b in Outputs)
        {
            b.Dispose();
        }
    }
}
