using GeoEdge.Geometry.Graphs;
using GeoEdge.Geometry.Sampling;

namespace GeoEdge.Inference.Pipelines;

/// <summary>One call's preprocessing and postprocessing memory, reused across calls so a warm Classify allocates only its result.</summary>
internal sealed class PointCloudBuffers
{
    public PointCloudBuffers(int points, int classes, int topK)
    {
        Chosen = new int[points];
        Probabilities = new double[classes];
        Top = new int[Math.Min(topK, classes)];
    }

    /// <summary>Farthest-point sampling's chosen indices (the first min(n, points) are used).</summary>
    public int[] Chosen { get; }

    public FarthestPointWorkspace Sampling { get; } = new();

    public NeighbourWorkspace Neighbours { get; } = new();

    /// <summary>The duplicate guard's set; it grows to the largest raw cloud seen.</summary>
    public HashSet<(float, float, float)> Distinct { get; } = [];

    public double[] Probabilities { get; }

    public int[] Top { get; }
}

/// <summary>Buffers for concurrent calls: a call takes one (or makes one when all are out) and returns it; at most MaxConcurrency ever exist.</summary>
internal sealed class PointCloudBufferPool(int points, int classes, int topK)
{
    private readonly Stack<PointCloudBuffers> _free = new();
    private readonly Lock _gate = new();

    public PointCloudBuffers Rent()
    {
        lock (_gate)
        {
            if (_free.TryPop(out PointCloudBuffers? buffers))
            {
                return buffers;
            }
        }

        return new PointCloudBuffers(points, classes, topK);
    }

    public void Return(PointCloudBuffers buffers)
    {
        lock (_gate)
        {
            _free.Push(buffers);
        }
    }
}
