using Microsoft.ML.OnnxRuntime;

namespace GeoEdge.Inference.Runtime;

/// <summary>How a <see cref="ModelSession"/> is created: providers, threads, optimization, shapes and warm-up.</summary>
public sealed class ModelSessionOptions
{
    /// <summary>Providers to try, best first; CPU is always the last resort even when not listed.</summary>
    public IReadOnlyList<ExecutionProviderKind> ProviderPreference { get; init; } = [ExecutionProviderKind.Cpu];

    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose (one per core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads across independent operators; 0 lets ONNX Runtime choose.</summary>
    public int InterOpThreads { get; init; }

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Where ONNX Runtime writes the optimized graph so later loads can start from it; null disables the cache.</summary>
    public string? OptimizedModelCachePath { get; init; }

    /// <summary>Concrete shapes for inputs with symbolic dimensions (e.g. batch = 1); buffers are allocated once for them.</summary>
    public IReadOnlyDictionary<string, long[]> InputShapes { get; init; } = new Dictionary<string, long[]>();

    /// <summary>Values (raw C-order bytes per input name) for the one run at load that finds the output shapes; unlisted inputs are zeros.</summary>
    /// <remarks>Output buffers are sized by that run, so a model whose output shapes depend on input values
    /// (NonZero, a shape tensor as input) must be probed with the values it will be run on.</remarks>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>> ShapeProbeInputs { get; init; } = new Dictionary<string, ReadOnlyMemory<byte>>();

    /// <summary>Callers that may infer at the same time; each gets its own pre-allocated buffers.</summary>
    public int MaxConcurrency { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Runs per buffer set at load, so the first real inference pays no first-run costs.</summary>
    public int WarmupRuns { get; init; } = 2;
}
