using GeoEdge.Geometry.Transforms;

namespace GeoEdge.Geometry.Sampling;

/// <summary>Iterative farthest point sampling (PointNet++), with torch_cluster.fps semantics, per example of a batched cloud.</summary>
/// <remarks>
/// <para>Rule: each example starts at one point; the next point is the one whose smallest squared distance
/// to the points chosen so far is largest, ties going to the lowest index (torch's argmax). Distances are
/// single precision, <c>(dx*dx + dy*dy) + dz*dz</c> without fused multiply-add, as
/// <c>(y - y[i]).pow(2).sum(1)</c> computes them. An example with fewer distinct positions than points to
/// take repeats indices (every remaining distance is 0, so the argmax is its first point), as torch_cluster does.</para>
/// <para>How many: <c>min(count, n)</c> per example, or <c>ceil(n * ratio)</c> computed in single precision as
/// torch_cluster does (n = 50, ratio = 0.3 gives 16, not 15), capped at n.</para>
/// <para>Start: with <c>randomStart</c> false every example starts at its own first point. With it true, one
/// <c>new System.Random(seed)</c> is made per call and each non-empty example, in example order, starts at
/// its local index <c>random.Next(n)</c> (torch_cluster uses the unseeded C <c>rand() % n</c>).</para>
/// <para>Returned indices are global indices into the cloud, example by example, each in selection order.
/// Positions must be finite: a NaN or infinite coordinate is an <see cref="ArgumentException"/>.</para>
/// </remarks>
public sealed class FarthestPointSampling : IPointCloudTransform
{
    private readonly int? _count;
    private readonly double? _ratio;

    /// <summary>Takes <paramref name="count"/> points per example (all of an example that has fewer).</summary>
    public FarthestPointSampling(int count, bool randomStart = true, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _count = count;
        RandomStart = randomStart;
        Seed = seed;
    }

    /// <summary>Takes <c>ceil(n * ratio)</c> points per example of n points; ratio in (0, 1].</summary>
    public FarthestPointSampling(double ratio, bool randomStart = true, int seed = 0)
    {
        ValidateRatio(ratio);
        _ratio = ratio;
        RandomStart = randomStart;
        Seed = seed;
    }

    public int? Count => _count;

    public double? Ratio => _ratio;

    public bool RandomStart { get; }

    public int Seed { get; }

    /// <summary>Indices of <paramref name="count"/> farthest points per example (see the class remarks).</summary>
    public static int[] Sample(PointCloud cloud, int count, bool randomStart = true, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Sample(cloud, count, null, randomStart, seed, FarthestPointOptions.Default);
    }

    /// <summary>Indices of <c>ceil(n * ratio)</c> farthest points per example (see the class remarks).</summary>
    public static int[] Sample(PointCloud cloud, double ratio, bool randomStart = true, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        ValidateRatio(ratio);
        return Sample(cloud, null, ratio, randomStart, seed, FarthestPointOptions.Default);
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with the indices of its length's farthest points of one example given as row-major
    /// [n,3] <paramref name="positions"/>, starting at point 0: the same indices as <c>Sample(cloud, destination.Length, randomStart: false)</c>.
    /// </summary>
    /// <remarks>Runs on the calling thread; once <paramref name="workspace"/> has seen a cloud this large it allocates nothing.</remarks>
    public static void Sample(ReadOnlySpan<float> positions, Span<int> destination, FarthestPointWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (positions.Length % 3 != 0)
        {
            throw new ArgumentException($"{positions.Length} floats is not a whole number of xyz points", nameof(positions));
        }

        int n = positions.Length / 3;
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, 1, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destination.Length, n, nameof(destination));
        workspace.Ensure(n);
        Span<float> xs = workspace.Xs.AsSpan(0, n), ys = workspace.Ys.AsSpan(0, n), zs = workspace.Zs.AsSpan(0, n);
        for (int i = 0; i < n; i++)
        {
            float x = positions[3 * i], y = positions[(3 * i) + 1], z = positions[(3 * i) + 2];
            if (!float.IsFinite(x) || !float.IsFinite(y) || !float.IsFinite(z))
            {
                SamplingThrow.NonFinitePoint(i, nameof(positions));
            }

            xs[i] = x;
            ys[i] = y;
            zs[i] = z;
        }

        Span<float> minDistance = workspace.MinDistance.AsSpan(0, n);
        minDistance.Fill(float.PositiveInfinity);
        IFarthestPointKernel kernel = FarthestPointKernels.Default;
        int current = 0;
        destination[0] = 0;
        for (int i = 1; i < destination.Length; i++)
        {
            current = kernel.UpdateAndArgMax(xs, ys, zs, minDistance, xs[current], ys[current], zs[current], out _);
            destination[i] = current;
        }
    }

    /// <summary>
    /// Writes <c>destination.Length / 3</c> positions of one row-major [n,3] cloud: the cloud itself when it has exactly that
    /// many points, otherwise its farthest points from point 0 (a model's fixed point count: the bundle contract's
    /// sampling), the farthest-point order repeating when the cloud has fewer points than asked for.
    /// </summary>
    /// <remarks><paramref name="chosen"/> holds at least min(n, points) indices; nothing is allocated once <paramref name="workspace"/> has seen a cloud this large.</remarks>
    public static void SamplePositions(ReadOnlySpan<float> source, Span<float> destination, Span<int> chosen, FarthestPointWorkspace workspace)
    {
        int n = source.Length / 3;
        int points = destination.Length / 3;
        if (n == points)
        {
            source.CopyTo(destination);
            return;
        }

        chosen = chosen[..Math.Min(n, points)];
        Sample(source, chosen, workspace);
        for (int i = 0; i < points; i++)
        {
            int from = 3 * chosen[i % chosen.Length];
            destination[3 * i] = source[from];
            destination[(3 * i) + 1] = source[from + 1];
            destination[(3 * i) + 2] = source[from + 2];
        }
    }

    /// <summary>The chosen points with their attributes and batch, in selection order.</summary>
    public PointCloud Apply(PointCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        return cloud.Select(Sample(cloud, _count, _ratio, RandomStart, Seed, FarthestPointOptions.Default));
    }

    public override string ToString()
    {
        string amount = _count is int count ? $"count={TransformText.Number(count)}" : $"ratio={TransformText.Number(_ratio!.Value)}";
        string start = RandomStart ? (Seed == 0 ? string.Empty : $", seed={TransformText.Number(Seed)}") : ", random_start=False";
        return $"FarthestPointSampling({amount}{start})";
    }

    /// <summary>The sample with an explicit kernel and worker count, so tests can run every variant.</summary>
    internal static int[] Sample(PointCloud cloud, int? count, double? ratio, bool randomStart, int seed, FarthestPointOptions options)
    {
        int examples = cloud.BatchCount;
        var starts = new int[examples];
        var takes = new int[examples];
        Random? random = randomStart ? new Random(seed) : null;
        float ratio32 = (float)ratio.GetValueOrDefault();
        for (int b = 0; b < examples; b++)
        {
            (int start, int end) = cloud.BatchRange(b);
            int n = end - start;
            if (n == 0)
            {
                continue;
            }

            // Single precision on purpose: torch_cluster multiplies the float degree by a float ratio.
            takes[b] = count is int c ? Math.Min(c, n) : Math.Min(n, (int)MathF.Ceiling(n * ratio32));
            starts[b] = random?.Next(n) ?? 0;
        }

        return FarthestPointSearch.Run(cloud, starts, takes, options);
    }

    private static void ValidateRatio(double ratio)
    {
        if (!(ratio > 0 && ratio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "ratio must be in (0, 1]");
        }
    }
}
