namespace GeoEdge.Geometry.Transforms;

/// <summary>Drops a seeded random subset of each example's points, keeping the survivors in their order.</summary>
/// <remarks>
/// Each non-empty example of n points, in example order, loses exactly <c>floor(ratio * n)</c> points chosen
/// by a partial Fisher-Yates shuffle of its local indices 0..n-1: for i = 0..k-1, swap i with
/// <c>i + Next(n - i)</c>; the first k are dropped. Draws come from this instance's <c>System.Random(seed)</c>
/// and continue across Apply calls, so equal seeds give equal results call for call. Attributes and batch
/// follow their points; the result is unorganized.
/// </remarks>
public sealed class RandomPointDropout : IPointCloudTransform
{
    private readonly SeededRandom _random;

    /// <summary>Drops floor(ratio * n) points per example; ratio in [0, 1].</summary>
    public RandomPointDropout(double ratio, int seed = 0)
    {
        if (!(ratio >= 0 && ratio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "ratio must be in [0, 1]");
        }

        Ratio = ratio;
        Seed = seed;
        _random = new SeededRandom(seed);
    }

    public double Ratio { get; }

    public int Seed { get; }

    public PointCloud Apply(PointCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        var dropped = new bool[cloud.Count];
        int kept = cloud.Count;
        lock (_random.Gate)
        {
            for (int b = 0; b < cloud.BatchCount; b++)
            {
                (int start, int end) = cloud.BatchRange(b);
                kept -= DropInExample(dropped, start, end - start);
            }
        }

        var survivors = new int[kept];
        int next = 0;
        for (int i = 0; i < dropped.Length; i++)
        {
            if (!dropped[i])
            {
                survivors[next++] = i;
            }
        }

        return cloud.Select(survivors);
    }

    public override string ToString() => $"RandomPointDropout(ratio={TransformText.Number(Ratio)}, seed={TransformText.Number(Seed)})";

    private int DropInExample(bool[] dropped, int start, int n)
    {
        int k = (int)Math.Floor(Ratio * n);
        if (k == 0)
        {
            return 0;
        }

        var local = new int[n];
        for (int i = 0; i < n; i++)
        {
            local[i] = i;
        }

        for (int i = 0; i < k; i++)
        {
            int j = i + _random.Next(n - i);
            (local[i], local[j]) = (local[j], local[i]);
            dropped[start + local[i]] = true;
        }

        return k;
    }
}
