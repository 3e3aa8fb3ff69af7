namespace GeoEdge.Host.Models;

/// <summary>The model store refused an operation or found its own files damaged; the message names the file or model at fault.</summary>
public sealed class ModelStoreException : Exception
{
    public ModelStoreException()
    {
    }

    public ModelStoreException(string message)
        : base(message)
    {
    }

    public ModelStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelStoreException(string subject, string detail, Exception? innerException = null)
        : base($"{subject}: {detail}", innerException)
    {
        Subject = subject;
    }

    /// <summary>The file, bundle or model the error is about.</summary>
    public string? Subject { get; }
}
