using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Runtime;

namespace GeoEdge.Inference.Pipelines;

/// <summary>Loads a bundle's graph with the caller's session options and the single-example input shapes a pipeline fills.</summary>
internal static class PipelineSession
{
    public static ModelSession Load(ModelBundle bundle, ModelSessionOptions? options, IReadOnlyDictionary<string, long[]> inputShapes)
    {
        options ??= new ModelSessionOptions();
        var shapes = new Dictionary<string, long[]>(options.InputShapes, StringComparer.Ordinal);
        foreach ((string name, long[] shape) in inputShapes)
        {
            shapes[name] = shape;
        }

        try
        {
            return Load(bundle.ModelPath, options, shapes);
        }
        catch (ArgumentException e)
        {
            // The model refuses the shapes the manifest implies (e.g. a fixed dimension that differs from preprocessing.points).
            throw new PipelineConfigurationException($"bundle {bundle.Manifest.Name} {bundle.Manifest.Version}: {e.Message}", e);
        }
    }

    private static ModelSession Load(string modelPath, ModelSessionOptions options, Dictionary<string, long[]> shapes) =>
        ModelSession.Load(modelPath, new ModelSessionOptions
        {
            ProviderPreference = options.ProviderPreference,
            IntraOpThreads = options.IntraOpThreads,
            InterOpThreads = options.InterOpThreads,
            OptimizationLevel = options.OptimizationLevel,
            OptimizedModelCachePath = options.OptimizedModelCachePath,
            InputShapes = shapes,
            ShapeProbeInputs = options.ShapeProbeInputs,
            MaxConcurrency = options.MaxConcurrency,
            WarmupRuns = options.WarmupRuns,
        });

    /// <summary>Index of the session's tensor <paramref name="name"/>, which must have exactly <paramref name="shape"/>; anything else is a bundle the pipeline cannot feed.</summary>
    public static int Require(ModelBundle bundle, IReadOnlyList<TensorDescription> tensors, string name, ReadOnlySpan<long> shape)
    {
        string where = $"bundle {bundle.Manifest.Name} {bundle.Manifest.Version}";
        for (int i = 0; i < tensors.Count; i++)
        {
            if (tensors[i].Name != name)
            {
                continue;
            }

            if (!tensors[i].Shape.AsSpan().SequenceEqual(shape))
            {
                throw new PipelineConfigurationException($"{where}: tensor '{name}' has shape [{string.Join(", ", tensors[i].Shape)}], the pipeline needs [{string.Join(", ", shape.ToArray())}]");
            }

            return i;
        }

        throw new PipelineConfigurationException($"{where}: the model has no tensor '{name}'");
    }
}
