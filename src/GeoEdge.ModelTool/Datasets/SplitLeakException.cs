namespace GeoEdge.ModelTool.Datasets;

/// <summary>A test split is byte-identical to the training split, so any score measured on it is a training score.</summary>
public sealed class SplitLeakException : Exception
{
    public SplitLeakException()
    {
    }

    public SplitLeakException(string message)
        : base(message)
    {
    }

    public SplitLeakException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
