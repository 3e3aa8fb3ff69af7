using GeoEdge.Geometry.Graphs;

namespace GeoEdge.Geometry.Tests.Graphs;

/// <summary>The obvious O(n²) answer the fast searches must equal exactly; rankings are computed once per cloud.</summary>
internal sealed class BruteForceNeighbours(PointCloud cloud)
{
    private readonly long[]?[] _ranked = new long[]?[cloud.Count];

    public PointCloud Cloud { get; } = cloud;

    /// <summary>Float squared distance, written out independently of the library's kernels (same formula).</summary>
    public static float SquaredDistance(PointCloud cloud, int i, int j)
    {
        float[] p = cloud.Positions;
        float dx = p[j * 3] - p[i * 3];
        float dy = p[(j * 3) + 1] - p[(i * 3) + 1];
        float dz = p[(j * 3) + 2] - p[(i * 3) + 2];
        return (dx * dx) + (dy * dy) + (dz * dz);
    }

    /// <summary>Every point of centre i's example, itself included, sorted by (squared distance, index).</summary>
    public IEnumerable<(int Index, float D2)> Ranked(int i)
    {
        foreach (long key in Keys(i))
        {
            yield return ((int)(key & 0xFFFFFFFF), BitConverter.Int32BitsToSingle((int)(key >> 32)));
        }
    }

    /// <summary>
    /// (bits of d2) &lt;&lt; 32 | j: a squared distance is never negative or NaN, and the bits of non-negative
    /// floats (+inf included) order like the floats, so sorting these longs sorts by (d2, j) exactly.
    /// </summary>
    private long[] Keys(int i)
    {
        if (_ranked[i] is { } cached)
        {
            return cached;
        }

        long example = Cloud.Batch?[i] ?? 0;
        (int start, int end) = Cloud.BatchRange((int)example);
        var keys = new long[end - start];
        for (int j = start; j < end; j++)
        {
            keys[j - start] = ((long)BitConverter.SingleToInt32Bits(SquaredDistance(Cloud, i, j)) << 32) | (uint)j;
        }

        Array.Sort(keys);
        _ranked[i] = keys;
        return keys;
    }

    public List<int> Knn(int i, int k, bool loop)
    {
        var result = new List<int>();
        foreach (long key in Keys(i))
        {
            if (result.Count == k)
            {
                break;
            }

            int index = (int)(key & 0xFFFFFFFF);
            if (index != i || loop)
            {
                result.Add(index);
            }
        }

        return result;
    }

    /// <summary>torch_cluster's test d2 &lt; (float)(r*r), the nearest maxNumNeighbors kept.</summary>
    public List<int> Radius(int i, float r, bool loop, int maxNumNeighbors)
    {
        float limit = (float)((double)r * r);
        var result = new List<int>();
        foreach (long key in Keys(i))
        {
            if (result.Count == maxNumNeighbors || !(BitConverter.Int32BitsToSingle((int)(key >> 32)) < limit))
            {
                break;
            }

            int index = (int)(key & 0xFFFFFFFF);
            if (index != i || loop)
            {
                result.Add(index);
            }
        }

        return result;
    }

    /// <summary>Assembles per-centre neighbour lists into PyG's edge_index layout.</summary>
    public static long[] EdgeIndex(IReadOnlyList<List<int>> neighboursOfCentre, GraphFlow flow)
    {
        var neighbours = new List<long>();
        var centres = new List<long>();
        for (int i = 0; i < neighboursOfCentre.Count; i++)
        {
            foreach (int j in neighboursOfCentre[i])
            {
                neighbours.Add(j);
                centres.Add(i);
            }
        }

        return flow == GraphFlow.SourceToTarget ? [.. neighbours, .. centres] : [.. centres, .. neighbours];
    }

    public long[] KnnEdgeIndex(int k, bool loop, GraphFlow flow)
    {
        var lists = new List<int>[Cloud.Count];
        for (int i = 0; i < Cloud.Count; i++)
        {
            lists[i] = Knn(i, k, loop);
        }

        return EdgeIndex(lists, flow);
    }

    public long[] RadiusEdgeIndex(float r, bool loop, int maxNumNeighbors, GraphFlow flow)
    {
        var lists = new List<int>[Cloud.Count];
        for (int i = 0; i < Cloud.Count; i++)
        {
            lists[i] = Radius(i, r, loop, maxNumNeighbors);
        }

        return EdgeIndex(lists, flow);
    }
}
