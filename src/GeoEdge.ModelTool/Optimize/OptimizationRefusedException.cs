namespace GeoEdge.ModelTool.Optimize;

/// <summary>The optimized model did not match the original on the proof inputs, so nothing was written.</summary>
public sealed class OptimizationRefusedException : Exception
{
    public OptimizationRefusedException()
    {
    }

    public OptimizationRefusedException(string message)
        : base(message)
    {
    }

    public OptimizationRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
