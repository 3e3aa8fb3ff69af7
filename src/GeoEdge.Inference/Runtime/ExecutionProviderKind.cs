namespace GeoEdge.Inference.Runtime;

/// <summary>ONNX Runtime execution providers GeoEdge can ask for, in the order a board config lists them.</summary>
public enum ExecutionProviderKind
{
    TensorRT,
    Cuda,
    Cpu,
}

/// <summary>A provider that was preferred but not used, and why (missing from the native build, failed to start).</summary>
public sealed record ProviderFallback(ExecutionProviderKind Provider, string Reason);

/// <summary>Which provider a session runs on and which preferred ones fell back on the way.</summary>
public sealed record ExecutionProviderChoice(ExecutionProviderKind Active, IReadOnlyList<ProviderFallback> Fallbacks);
