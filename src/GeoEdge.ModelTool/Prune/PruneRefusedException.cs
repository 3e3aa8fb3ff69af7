namespace GeoEdge.ModelTool.Prune;

/// <summary>A pruning request the tool cannot prove safe or meaningful; names the node or layer at fault, nothing was written.</summary>
public sealed class PruneRefusedException : Exception
{
    public PruneRefusedException()
    {
    }

    public PruneRefusedException(string message)
        : base(message)
    {
    }

    public PruneRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
