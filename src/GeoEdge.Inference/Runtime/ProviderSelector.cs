using Microsoft.ML.OnnxRuntime;

namespace GeoEdge.Inference.Runtime;

/// <summary>Appends the first preferred execution provider that works to a SessionOptions, recording why others did not.</summary>
internal static class ProviderSelector
{
    public static ExecutionProviderChoice Apply(SessionOptions options, IReadOnlyList<ExecutionProviderKind> preference)
    {
        string[] compiledIn = OrtEnv.Instance().GetAvailableProviders();
        var fallbacks = new List<ProviderFallback>();
        foreach (ExecutionProviderKind kind in preference)
        {
            if (kind == ExecutionProviderKind.Cpu)
            {
                return new ExecutionProviderChoice(ExecutionProviderKind.Cpu, fallbacks);
            }

            string ortName = kind == ExecutionProviderKind.Cuda ? "CUDAExecutionProvider" : "TensorrtExecutionProvider";
            if (Array.IndexOf(compiledIn, ortName) < 0)
            {
                fallbacks.Add(new ProviderFallback(kind, $"{ortName} is not compiled into this ONNX Runtime build (has: {string.Join(", ", compiledIn)})"));
                continue;
            }

            try
            {
                if (kind == ExecutionProviderKind.Cuda)
                {
                    options.AppendExecutionProvider_CUDA(0);
                }
                else
                {
                    options.AppendExecutionProvider_Tensorrt(0);
                }

                return new ExecutionProviderChoice(kind, fallbacks);
            }
            catch (OnnxRuntimeException e)
            {
                // Typically the CUDA/TensorRT shared libraries are missing on this board.
                fallbacks.Add(new ProviderFallback(kind, e.Message));
            }
        }

        return new ExecutionProviderChoice(ExecutionProviderKind.Cpu, fallbacks);
    }
}
