using GeoEdge.Geometry.Graphs;
using GeoEdge.Geometry.Sampling;
using GeoEdge.Geometry.Transforms;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>A point-cloud manifest's preprocessing after SOR, as the device pipeline does it: the model's points (the cloud, or its farthest points from point 0), NormalizeScale, the kNN graph.</summary>
/// <remarks>One place for the tool's runs (evaluate, calibrate), the quantizer's calibration clouds and prune's accuracy
/// check, so a point- or edge-pruned model is fed alike everywhere. Holds the sampling and neighbour workspaces: one
/// instance per thread, nothing allocated once warm.</remarks>
internal sealed class CloudPreprocessor(int points, int k, bool loop)
{
    private readonly FarthestPointWorkspace _sampling = new();
    private readonly NeighbourWorkspace _neighbours = new();
    private readonly int[] _chosen = new int[points];

    /// <summary>Writes the model's points of a raw row-major [n,3] cloud into <paramref name="positions"/> [points*3].</summary>
    public void Sample(ReadOnlySpan<float> cloud, Span<float> positions) =>
        FarthestPointSampling.SamplePositions(cloud, positions[..(3 * points)], _chosen, _sampling);

    /// <summary>NormalizeScale of sampled <paramref name="positions"/> in place, then their k nearest neighbours into <paramref name="knn"/> [points*k] (nothing when k is 0).</summary>
    public void NormalizeAndConnect(Span<float> positions, Span<long> knn)
    {
        positions = positions[..(3 * points)];
        NormalizeScale.ApplyInPlace(positions);
        if (k > 0)
        {
            KnnGraph.Neighbours(positions, k, loop, knn, _neighbours);
        }
    }

    /// <summary><see cref="Sample"/> then <see cref="NormalizeAndConnect"/>.</summary>
    public void Prepare(ReadOnlySpan<float> cloud, Span<float> positions, Span<long> knn)
    {
        Sample(cloud, positions);
        NormalizeAndConnect(positions, knn);
    }
}
