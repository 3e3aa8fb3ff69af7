using GeoEdge.Geometry.Tests.Graphs;

namespace GeoEdge.Geometry.Tests.Filters;

/// <summary>PCL's two outlier rules written out plainly over brute-force neighbour rankings.</summary>
internal static class PclRules
{
    /// <summary>pcl::StatisticalOutlierRemoval::applyFilterIndices, per example, in PCL's precision.</summary>
    public static int[] Statistical(PointCloud cloud, int meanK, double stddevMul)
    {
        var reference = new BruteForceNeighbours(cloud);
        var distances = new float[cloud.Count];
        for (int i = 0; i < cloud.Count; i++)
        {
            double sum = 0;
            int found = 0;
            foreach (int j in reference.Knn(i, meanK, loop: false))
            {
                sum += Math.Sqrt(BruteForceNeighbours.SquaredDistance(cloud, i, j));
                found++;
            }

            distances[i] = found == 0 ? 0f : (float)(sum / found);
        }

        var keep = new List<int>();
        for (int e = 0; e < cloud.BatchCount; e++)
        {
            (int start, int end) = cloud.BatchRange(e);
            double total = 0, squares = 0;
            for (int i = start; i < end; i++)
            {
                total += distances[i];
                squares += distances[i] * distances[i];
            }

            int n = end - start;
            double mean = total / n;
            double threshold = mean + (stddevMul * Math.Sqrt((squares - (total * total / n)) / (n - 1.0)));
            for (int i = start; i < end; i++)
            {
                if (!(distances[i] > threshold))
                {
                    keep.Add(i);
                }
            }
        }

        return [.. keep];
    }

    /// <summary>pcl::RadiusOutlierRemoval's dense path: at least minPts others with (double)d2 &lt;= r*r.</summary>
    public static int[] Radius(PointCloud cloud, double radius, int minPts)
    {
        var keep = new List<int>();
        for (int i = 0; i < cloud.Count; i++)
        {
            (int start, int end) = cloud.BatchRange((int)(cloud.Batch?[i] ?? 0));
            int within = 0;
            for (int j = start; j < end; j++)
            {
                if (j != i && BruteForceNeighbours.SquaredDistance(cloud, i, j) <= radius * radius)
                {
                    within++;
                }
            }

            if (within >= minPts)
            {
                keep.Add(i);
            }
        }

        return [.. keep];
    }

    /// <summary>A unit-cube cloud with <paramref name="outliers"/> points scattered 3 to 8 units away.</summary>
    public static PointCloud WithOutliers(int n, int outliers, int seed)
    {
        var random = new Random(seed);
        PointCloud inliers = NeighbourClouds.Uniform(n, seed);
        var p = new float[(n + outliers) * 3];
        inliers.Positions.CopyTo(p, 0);
        for (int o = 0; o < outliers; o++)
        {
            for (int d = 0; d < 3; d++)
            {
                float magnitude = 3f + (5f * (float)random.NextDouble());
                p[((n + o) * 3) + d] = random.Next(2) == 0 ? magnitude : -magnitude;
            }
        }

        return new PointCloud(p);
    }
}
