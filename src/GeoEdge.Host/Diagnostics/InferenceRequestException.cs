namespace GeoEdge.Host.Diagnostics;

/// <summary>A request body the diagnostics API cannot use; the message says what is wrong and where.</summary>
public sealed class InferenceRequestException : Exception
{
    public InferenceRequestException()
    {
    }

    public InferenceRequestException(string message)
        : base(message)
    {
    }

    public InferenceRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
