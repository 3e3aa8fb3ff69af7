namespace GeoEdge.Inference.Pipelines;

/// <summary>A verified bundle that a pipeline cannot run: another task, a missing preprocessing field, or tensors that do not fit.</summary>
/// <remarks>Thrown when the pipeline is built (a deployment error), never for the data it is later given.</remarks>
public sealed class PipelineConfigurationException : Exception
{
    public PipelineConfigurationException()
    {
    }

    public PipelineConfigurationException(string message)
        : base(message)
    {
    }

    public PipelineConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
