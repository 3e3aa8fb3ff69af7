namespace GeoEdge.ModelTool.Cli;

/// <summary>The command line is wrong (unknown option, missing value); exits with the usage code.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
