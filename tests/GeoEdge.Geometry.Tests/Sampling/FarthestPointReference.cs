using GeoEdge.Geometry;

namespace GeoEdge.Geometry.Tests.Sampling;

/// <summary>The plain O(N * count) greedy definition farthest point sampling must reproduce exactly.</summary>
internal static class FarthestPointReference
{
    public static int[] Sample(PointCloud cloud, Func<int, int> take, bool randomStart, int seed)
    {
        var random = randomStart ? new Random(seed) : null;
        var result = new List<int>();
        float[] p = cloud.Positions;
        for (int b = 0; b < cloud.BatchCount; b++)
        {
            (int s, int e) = cloud.BatchRange(b);
            int n = e - s;
            if (n == 0)
            {
                continue;
            }

            int k = take(n);
            int current = random?.Next(n) ?? 0;
            result.Add(s + current);
            var dist = new float[n];
            Array.Fill(dist, float.PositiveInfinity);
            for (int i = 1; i < k; i++)
            {
                int best = 0;
                for (int j = 0; j < n; j++)
                {
                    dist[j] = MathF.Min(dist[j], Distance(p, s + j, s + current));
                    if (dist[j] > dist[best])
                    {
                        best = j;
                    }
                }

                current = best;
                result.Add(s + current);
            }
        }

        return [.. result];
    }

    private static float Distance(float[] p, int a, int q)
    {
        float dx = p[3 * a] - p[3 * q];
        float dy = p[(3 * a) + 1] - p[(3 * q) + 1];
        float dz = p[(3 * a) + 2] - p[(3 * q) + 2];
        return (dx * dx) + (dy * dy) + (dz * dz);
    }
}
