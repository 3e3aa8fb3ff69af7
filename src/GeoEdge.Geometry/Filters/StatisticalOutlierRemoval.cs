using System.Globalization;
using GeoEdge.Geometry.Spatial;
using GeoEdge.Geometry.Transforms;

namespace GeoEdge.Geometry.Filters;

/// <summary>Removes points whose mean neighbour distance is unusually large, as pcl::StatisticalOutlierRemoval.</summary>
/// <remarks>
/// <para>PCL's rule, arithmetic included (filters/impl/statistical_outlier_removal.hpp, PCL 1.13): for each point,
/// d = (float)(Σ sqrt((double)d2ⱼ) / meanK) over its meanK nearest other points, the float squared distances
/// summed nearest first; then over all points, in index order, sum += d and sumSq += (float)(d*d) in double,
/// mean = sum/n, stddev = sqrt((sumSq - sum*sum/n) / (n-1)) (sample deviation); a point is kept unless
/// d &gt; mean + stddevMulThresh * stddev. PCL searches meanK+1 points and skips the first; excluding the
/// point itself instead gives the same distances, since whatever PCL skips is at distance 0 too.</para>
/// <para>Where PCL is undefined (an example with meanK or fewer points) the mean is taken over the neighbours
/// that exist, 0 for a lone point. When the deviation is NaN (one point, or rounding making the variance
/// negative) nothing is removed, as in PCL. A batched cloud is filtered per example: neighbours and statistics
/// come from the point's own example. Non-finite points throw <see cref="ArgumentException"/>
/// (run <see cref="PointCloud.RemoveNonFinite"/> first); the result keeps attributes and batch.</para>
/// </remarks>
public sealed class StatisticalOutlierRemoval : IPointCloudTransform
{
    public StatisticalOutlierRemoval(int meanK, double stddevMulThresh)
    {
        Validate(meanK, stddevMulThresh);
        MeanK = meanK;
        StddevMulThresh = stddevMulThresh;
    }

    public int MeanK { get; }

    public double StddevMulThresh { get; }

    /// <summary>Threads a search may use; results are the same for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    public PointCloud Apply(PointCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        return cloud.Select(Inliers(cloud));
    }

    /// <summary>Indices of the points kept, ascending.</summary>
    public int[] Inliers(PointCloud cloud) =>
        Inliers(cloud, MeanK, StddevMulThresh, NeighbourSearchSettings.WithParallelism(MaxDegreeOfParallelism));

    public static PointCloud Apply(PointCloud cloud, int meanK, double stddevMulThresh)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        return cloud.Select(Inliers(cloud, meanK, stddevMulThresh));
    }

    /// <summary>Indices of the points kept, ascending.</summary>
    public static int[] Inliers(PointCloud cloud, int meanK, double stddevMulThresh) =>
        Inliers(cloud, meanK, stddevMulThresh, NeighbourSearchSettings.Default);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"StatisticalOutlierRemoval(mean_k={MeanK}, std_mul={StddevMulThresh})");

    internal static int[] Inliers(PointCloud cloud, int meanK, double stddevMulThresh, NeighbourSearchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        Validate(meanK, stddevMulThresh);
        CloudIndex index = CloudIndex.Build(cloud, settings);
        var sink = new MeanDistanceSink(cloud.Count);
        index.Search(new NeighbourQuery(meanK, float.PositiveInfinity, IncludeSelf: false), sink);
        float[] distances = sink.Distances;

        var keep = new List<int>(cloud.Count);
        for (int e = 0; e < cloud.BatchCount; e++)
        {
            (int start, int end) = cloud.BatchRange(e);
            double threshold = Threshold(distances.AsSpan(start, end - start), stddevMulThresh);
            for (int i = start; i < end; i++)
            {
                // Written as PCL's removal test, so a NaN threshold removes nothing.
                if (!(distances[i] > threshold))
                {
                    keep.Add(i);
                }
            }
        }

        return [.. keep];
    }

    /// <summary>mean + mul * stddev, summed sequentially in PCL's order and precision.</summary>
    internal static double Threshold(ReadOnlySpan<float> distances, double stddevMulThresh)
    {
        double sum = 0, squaredSum = 0;
        foreach (float d in distances)
        {
            sum += d;
            squaredSum += d * d;
        }

        double n = distances.Length;
        double mean = sum / n;
        double variance = (squaredSum - (sum * sum / n)) / (n - 1);
        return mean + (stddevMulThresh * Math.Sqrt(variance));
    }

    private static void Validate(int meanK, double stddevMulThresh)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(meanK, 1);
        if (!double.IsFinite(stddevMulThresh))
        {
            throw new ArgumentOutOfRangeException(nameof(stddevMulThresh), stddevMulThresh, "must be finite");
        }
    }

    /// <summary>Each point's mean distance to its neighbours, in PCL's precision.</summary>
    private sealed class MeanDistanceSink(int count) : INeighbourSink
    {
        public float[] Distances { get; } = new float[count];

        public void Accept(int chunk, int point, ReadOnlySpan<int> neighbours, ReadOnlySpan<float> squaredDistances)
        {
            double sum = 0;
            foreach (float d2 in squaredDistances)
            {
                sum += Math.Sqrt(d2);
            }

            Distances[point] = squaredDistances.Length == 0 ? 0f : (float)(sum / squaredDistances.Length);
        }
    }
}
