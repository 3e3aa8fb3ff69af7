using System.Globalization;
using GeoEdge.Geometry.Spatial;
using GeoEdge.Geometry.Transforms;

namespace GeoEdge.Geometry.Filters;

/// <summary>Removes points with too few neighbours within a radius, as pcl::RadiusOutlierRemoval.</summary>
/// <remarks>
/// <para>PCL's rule for finite clouds (filters/impl/radius_outlier_removal.hpp, PCL 1.13, the is_dense path): a
/// point is kept when its (minNeighborsInRadius + 1)-th nearest point, counting itself, has a float squared
/// distance d2 with (double)d2 &lt;= radius * radius. That is: at least minNeighborsInRadius other points
/// within the radius, the boundary included, the point itself not counted, duplicates counted. 0 keeps
/// every point; an example with no more than minNeighborsInRadius points loses all of them.</para>
/// <para>PCL refuses a radius of 0; so does this (a non-positive or non-finite radius throws). A batched
/// cloud is filtered per example. Non-finite points throw <see cref="ArgumentException"/> (PCL would switch to
/// its radiusSearch path, whose boundary test is strict). The result keeps attributes and batch.</para>
/// </remarks>
public sealed class RadiusOutlierRemoval : IPointCloudTransform
{
    public RadiusOutlierRemoval(double radius, int minNeighborsInRadius)
    {
        Validate(radius, minNeighborsInRadius);
        Radius = radius;
        MinNeighborsInRadius = minNeighborsInRadius;
    }

    public double Radius { get; }

    public int MinNeighborsInRadius { get; }

    /// <summary>Threads a search may use; results are the same for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    public PointCloud Apply(PointCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        return cloud.Select(Inliers(cloud));
    }

    /// <summary>Indices of the points kept, ascending.</summary>
    public int[] Inliers(PointCloud cloud) =>
        Inliers(cloud, Radius, MinNeighborsInRadius, NeighbourSearchSettings.WithParallelism(MaxDegreeOfParallelism));

    public static PointCloud Apply(PointCloud cloud, double radius, int minNeighborsInRadius)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        return cloud.Select(Inliers(cloud, radius, minNeighborsInRadius));
    }

    /// <summary>Indices of the points kept, ascending.</summary>
    public static int[] Inliers(PointCloud cloud, double radius, int minNeighborsInRadius) =>
        Inliers(cloud, radius, minNeighborsInRadius, NeighbourSearchSettings.Default);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"RadiusOutlierRemoval(radius={Radius}, min_neighbors={MinNeighborsInRadius})");

    /// <summary>The largest float d2 with (double)d2 &lt;= radius², the search's inclusive ceiling.</summary>
    internal static float Ceiling(double radius)
    {
        double squared = radius * radius;
        float ceiling = (float)squared;
        return ceiling > squared ? MathF.BitDecrement(ceiling) : ceiling;
    }

    internal static int[] Inliers(PointCloud cloud, double radius, int minNeighborsInRadius, NeighbourSearchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        Validate(radius, minNeighborsInRadius);
        var keep = new bool[cloud.Count];
        if (minNeighborsInRadius == 0)
        {
            Array.Fill(keep, true);
        }

        CloudIndex index = CloudIndex.Build(cloud, settings);
        if (minNeighborsInRadius > 0)
        {
            var query = new NeighbourQuery(minNeighborsInRadius, Ceiling(radius), IncludeSelf: false, StopWhenFull: true);
            index.Search(query, new EnoughNeighboursSink(keep, minNeighborsInRadius));
        }

        var inliers = new List<int>(cloud.Count);
        for (int i = 0; i < keep.Length; i++)
        {
            if (keep[i])
            {
                inliers.Add(i);
            }
        }

        return [.. inliers];
    }

    private static void Validate(double radius, int minNeighborsInRadius)
    {
        if (!(radius > 0) || !double.IsFinite(radius))
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "radius must be finite and positive");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(minNeighborsInRadius);
    }

    /// <summary>Marks the points that found their quota of neighbours under the ceiling.</summary>
    private sealed class EnoughNeighboursSink(bool[] keep, int quota) : INeighbourSink
    {
        public void Accept(int chunk, int point, ReadOnlySpan<int> neighbours, ReadOnlySpan<float> squaredDistances) =>
            keep[point] = neighbours.Length >= quota;
    }
}
