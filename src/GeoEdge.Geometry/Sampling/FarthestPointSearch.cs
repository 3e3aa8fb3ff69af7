using System.Buffers;

namespace GeoEdge.Geometry.Sampling;

/// <summary>Greedy farthest point search over every example of a cloud, serial or split over workers.</summary>
/// <remarks>
/// Positions are copied once into x, y and z arrays (pooled) so the kernels read contiguous lanes.
/// Several examples run in parallel one per worker, as torch_cluster parallelises over the batch;
/// one large example is split into chunks whose (max, index) pairs are merged in chunk order, so the
/// result never depends on the number of workers.
/// </remarks>
internal static class FarthestPointSearch
{
    /// <summary>Below this many points per worker a parallel step costs more in fork/join than it saves.</summary>
    public const int DefaultMinPointsPerWorker = 65_536;

    public static int[] Run(PointCloud cloud, ReadOnlySpan<int> starts, ReadOnlySpan<int> takes, FarthestPointOptions options)
    {
        int n = cloud.Count;
        int examples = starts.Length;
        var plans = new ExamplePlan[examples];
        int total = 0;
        for (int b = 0; b < examples; b++)
        {
            (int start, int end) = cloud.BatchRange(b);
            plans[b] = new ExamplePlan(start, end - start, total, takes[b], starts[b]);
            total += takes[b];
        }

        var result = new int[total];
        if (total == 0)
        {
            return result;
        }

        float[] xs = ArrayPool<float>.Shared.Rent(n);
        float[] ys = ArrayPool<float>.Shared.Rent(n);
        float[] zs = ArrayPool<float>.Shared.Rent(n);
        float[] minDist = ArrayPool<float>.Shared.Rent(n);
        try
        {
            Transpose(cloud.Positions, xs, ys, zs, n);
            var work = new Workspace(xs, ys, zs, minDist, result, options);
            if (examples > 1 && options.Workers > 1 && n >= options.MinPointsPerWorker)
            {
                Parallel.For(
                    0,
                    examples,
                    new ParallelOptions { MaxDegreeOfParallelism = options.Workers },
                    b => work.RunExample(plans[b], workers: 1));
            }
            else
            {
                foreach (ExamplePlan plan in plans)
                {
                    work.RunExample(plan, options.Workers);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(xs);
            ArrayPool<float>.Shared.Return(ys);
            ArrayPool<float>.Shared.Return(zs);
            ArrayPool<float>.Shared.Return(minDist);
        }

        return result;
    }

    private static void Transpose(float[] positions, float[] xs, float[] ys, float[] zs, int n)
    {
        for (int i = 0; i < n; i++)
        {
            float x = positions[3 * i];
            float y = positions[(3 * i) + 1];
            float z = positions[(3 * i) + 2];
            if (!float.IsFinite(x) || !float.IsFinite(y) || !float.IsFinite(z))
            {
                SamplingThrow.NonFinitePoint(i, "cloud");
            }

            xs[i] = x;
            ys[i] = y;
            zs[i] = z;
        }
    }

    private readonly record struct ExamplePlan(int Start, int Count, int OutStart, int Take, int First);

    private sealed class Workspace(float[] xs, float[] ys, float[] zs, float[] minDist, int[] result, FarthestPointOptions options)
    {
        public void RunExample(ExamplePlan plan, int workers)
        {
            if (plan.Take == 0)
            {
                return;
            }

            minDist.AsSpan(plan.Start, plan.Count).Fill(float.PositiveInfinity);
            result[plan.OutStart] = plan.Start + plan.First;
            int chunks = Math.Min(workers, plan.Count / options.MinPointsPerWorker);
            if (chunks <= 1)
            {
                RunSerial(plan);
            }
            else
            {
                RunChunked(plan, chunks);
            }
        }

        private void RunSerial(ExamplePlan plan)
        {
            int s = plan.Start;
            ReadOnlySpan<float> x = xs.AsSpan(s, plan.Count);
            ReadOnlySpan<float> y = ys.AsSpan(s, plan.Count);
            ReadOnlySpan<float> z = zs.AsSpan(s, plan.Count);
            Span<float> md = minDist.AsSpan(s, plan.Count);
            IFarthestPointKernel kernel = options.Kernel;
            int current = plan.First;
            for (int i = 1; i < plan.Take; i++)
            {
                current = kernel.UpdateAndArgMax(x, y, z, md, x[current], y[current], z[current], out _);
                result[plan.OutStart + i] = s + current;
            }
        }

        private void RunChunked(ExamplePlan plan, int chunks)
        {
            // Chunk bounds on 64-float boundaries keep every chunk's vectors aligned alike.
            int chunkSize = ((plan.Count + chunks - 1) / chunks + 63) & ~63;
            chunks = (plan.Count + chunkSize - 1) / chunkSize;
            var bestValue = new float[chunks];
            var bestIndex = new int[chunks];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = chunks };
            int s = plan.Start;
            int current = plan.First;
            for (int i = 1; i < plan.Take; i++)
            {
                float qx = xs[s + current], qy = ys[s + current], qz = zs[s + current];
                Parallel.For(0, chunks, parallel, c =>
                {
                    int lo = c * chunkSize;
                    int length = Math.Min(plan.Count - lo, chunkSize);
                    int at = s + lo;
                    int j = options.Kernel.UpdateAndArgMax(
                        xs.AsSpan(at, length), ys.AsSpan(at, length), zs.AsSpan(at, length), minDist.AsSpan(at, length), qx, qy, qz, out float max);
                    bestIndex[c] = lo + j;
                    bestValue[c] = max;
                });

                // Chunks in order, strictly greater wins: the first maximum overall, as in the serial search.
                int winner = 0;
                for (int c = 1; c < chunks; c++)
                {
                    if (bestValue[c] > bestValue[winner])
                    {
                        winner = c;
                    }
                }

                current = bestIndex[winner];
                result[plan.OutStart + i] = s + current;
            }
        }
    }
}

/// <summary>How a farthest point search runs: kernel, worker count and the smallest share worth a worker.</summary>
internal readonly record struct FarthestPointOptions(IFarthestPointKernel Kernel, int Workers, int MinPointsPerWorker)
{
    public static FarthestPointOptions Default { get; } =
        new(FarthestPointKernels.Default, Environment.ProcessorCount, FarthestPointSearch.DefaultMinPointsPerWorker);
}
