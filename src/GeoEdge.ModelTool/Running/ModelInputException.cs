namespace GeoEdge.ModelTool.Running;

/// <summary>An array given for a model input does not fit it (dtype, rank, a fixed or shared dimension) or is missing from a file.</summary>
public sealed class ModelInputException : Exception
{
    public ModelInputException()
    {
    }

    public ModelInputException(string message)
        : base(message)
    {
    }

    public ModelInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
