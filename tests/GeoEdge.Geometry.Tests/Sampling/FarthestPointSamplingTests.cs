using GeoEdge.Geometry;
using GeoEdge.Geometry.Sampling;
using System.Runtime.Intrinsics;

namespace GeoEdge.Geometry.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class FarthestPointSamplingTests
{
    public static TheoryData<string> Kernels() => ["scalar", "vector128", "vector256", "vector512"];

    private static FarthestPointOptions Serial(string kernel) => new(FarthestPointKernels.Choose(kernel), 1, int.MaxValue);

    private static Func<int, int> Count(int count) => n => Math.Min(count, n);

    private static Func<int, int> Ratio(double ratio) => n => Math.Min(n, (int)MathF.Ceiling(n * (float)ratio));

    [Fact]
    public void Points_on_a_line_are_taken_farthest_first_with_ties_to_the_lower_index()
    {
        // x = 0, 1, 2, 3, 10: after 0 and 10, x=3 is farthest (9); then x=1 and x=2 both sit at 1, the lower index wins.
        var cloud = new PointCloud([0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 10, 0, 0]);

        Assert.Equal([0, 4, 3, 1, 2], FarthestPointSampling.Sample(cloud, 5, randomStart: false));
    }

    [Fact]
    public void Identical_points_repeat_the_first_index_like_torch_cluster()
    {
        var cloud = new PointCloud([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);

        Assert.Equal([2, 0, 0], FarthestPointSampling.Sample(cloud, 3, randomStart: true, seed: Seed(startOf: 2, among: 4)));
        Assert.Equal([0, 0, 0], FarthestPointSampling.Sample(cloud, 3, randomStart: false));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Every_kernel_matches_the_greedy_reference_on_random_clouds(string kernel)
    {
        var cloud = new PointCloud(TestClouds.Positions(1_003, seed: 11));

        foreach (bool randomStart in new[] { false, true })
        {
            int[] expected = FarthestPointReference.Sample(cloud, Count(97), randomStart, seed: 5);
            Assert.Equal(expected, FarthestPointSampling.Sample(cloud, 97, null, randomStart, 5, Serial(kernel)));
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Every_kernel_matches_the_reference_on_a_lattice_full_of_ties(string kernel)
    {
        // 600 points on a 4x4x4 lattice: only 64 distinct positions, so most steps are ties and later ones repeat.
        var cloud = new PointCloud(TestClouds.Positions(600, seed: 3, lattice: 4));

        int[] expected = FarthestPointReference.Sample(cloud, Count(100), randomStart: true, seed: 9);
        int[] actual = FarthestPointSampling.Sample(cloud, 100, null, true, 9, Serial(kernel));

        Assert.Equal(expected, actual);
        Assert.True(actual.Distinct().Count() < actual.Length);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Every_kernel_matches_the_reference_per_example_of_a_batch(string kernel)
    {
        // Examples of 1, 5, 40 and 300 points: smaller than, around and above the count.
        PointCloud cloud = TestClouds.Batched(21, 1, 5, 40, 300);

        Assert.Equal(
            FarthestPointReference.Sample(cloud, Count(8), true, 4),
            FarthestPointSampling.Sample(cloud, 8, null, true, 4, Serial(kernel)));
        Assert.Equal(
            FarthestPointReference.Sample(cloud, Ratio(0.3), false, 0),
            FarthestPointSampling.Sample(cloud, null, 0.3, false, 0, Serial(kernel)));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Splitting_one_example_over_workers_gives_the_serial_result(string kernel)
    {
        var cloud = new PointCloud(TestClouds.Positions(2_000, seed: 8, lattice: 6));
        var chunked = new FarthestPointOptions(FarthestPointKernels.Choose(kernel), 4, 100);

        Assert.Equal(
            FarthestPointReference.Sample(cloud, Count(150), true, 1),
            FarthestPointSampling.Sample(cloud, 150, null, true, 1, chunked));
    }

    [Fact]
    public void Examples_run_on_parallel_workers_give_the_serial_result()
    {
        PointCloud cloud = TestClouds.Batched(2, 700, 1, 900, 350);
        var parallel = new FarthestPointOptions(FarthestPointKernels.Default, 4, 64);

        Assert.Equal(
            FarthestPointReference.Sample(cloud, Ratio(0.1), true, 3),
            FarthestPointSampling.Sample(cloud, null, 0.1, true, 3, parallel));
    }

    [Fact]
    public void Ratio_is_rounded_up_in_single_precision_like_torch_cluster()
    {
        // 50 * 0.3f = 15.0000006f, so torch_cluster takes 16 points where exact arithmetic would take 15.
        var fifty = new PointCloud(TestClouds.Positions(50, seed: 1));
        var ten = new PointCloud(TestClouds.Positions(10, seed: 1));

        Assert.Equal(16, FarthestPointSampling.Sample(fifty, 0.3).Length);
        Assert.Equal(3, FarthestPointSampling.Sample(ten, 0.25).Length);
        Assert.Equal(10, FarthestPointSampling.Sample(ten, 1.0).Length);
    }

    [Fact]
    public void Batched_counts_are_per_example_and_indices_are_global()
    {
        var batch = new long[] { 0, 0, 0, 2, 2, 2, 2 };
        var cloud = new PointCloud([0, 0, 0, 5, 0, 0, 1, 0, 0, 0, 0, 0, 0, 9, 0, 0, 1, 0, 0, 2, 0], 7, 1, batch: batch);

        // Example 0: 0 -> 1 (x=5); example 1 is empty; example 2 (points 3..6): 3 -> 4 (y=9).
        Assert.Equal([0, 1, 3, 4], FarthestPointSampling.Sample(cloud, 2, randomStart: false));
    }

    [Fact]
    public void Random_start_of_each_example_is_the_documented_draw()
    {
        PointCloud cloud = TestClouds.Batched(4, 30, 20);
        var random = new Random(42);
        int first = random.Next(30);
        int second = random.Next(20);

        int[] indices = FarthestPointSampling.Sample(cloud, 5, randomStart: true, seed: 42);

        Assert.Equal(first, indices[0]);
        Assert.Equal(30 + second, indices[5]);
        Assert.Equal(indices, FarthestPointSampling.Sample(cloud, 5, randomStart: true, seed: 42));
        Assert.NotEqual(indices[0], FarthestPointSampling.Sample(cloud, 5, randomStart: true, seed: Seed(startOf: (first + 1) % 30, among: 30))[0]);
    }

    [Fact]
    public void Apply_selects_points_attributes_and_batch_without_touching_the_input()
    {
        PointCloud source = TestClouds.Batched(6, 12, 9);
        var intensity = new AttributeChannel("intensity", ScalarType.Float32, 1, source.Count);
        for (int i = 0; i < source.Count; i++)
        {
            intensity.AsSpan<float>()[i] = i;
        }

        var cloud = new PointCloud(source.Positions, source.Count, 1, [intensity], source.Batch);
        var before = TestClouds.Snapshot(cloud);
        var fps = new FarthestPointSampling(count: 4, seed: 3);

        PointCloud sampled = fps.Apply(cloud);

        int[] indices = FarthestPointSampling.Sample(cloud, 4, seed: 3);
        Assert.Equal(indices.Select(i => (float)i), sampled.FindAttribute("intensity")!.AsSpan<float>().ToArray());
        Assert.Equal([0L, 0, 0, 0, 1, 1, 1, 1], sampled.Batch!);
        Assert.Equal(cloud.Positions.AsSpan(indices[5] * 3, 3).ToArray(), sampled.Positions.AsSpan(15, 3).ToArray());
        TestClouds.AssertUnchanged(before, cloud);
    }

    [Fact]
    public void ToString_prints_parameters_pyg_style()
    {
        Assert.Equal("FarthestPointSampling(count=1024)", new FarthestPointSampling(count: 1024).ToString());
        Assert.Equal("FarthestPointSampling(ratio=0.25)", new FarthestPointSampling(ratio: 0.25).ToString());
        Assert.Equal("FarthestPointSampling(ratio=0.5, seed=7)", new FarthestPointSampling(0.5, seed: 7).ToString());
        Assert.Equal("FarthestPointSampling(count=16, random_start=False)", new FarthestPointSampling(16, randomStart: false).ToString());
    }

    [Fact]
    public void Kernel_choice_honours_names_and_rejects_unknown_ones()
    {
        Assert.Equal("vector256", FarthestPointKernels.Choose("Vector256").Name);
        Assert.Equal("scalar", FarthestPointKernels.Choose(" scalar ").Name);
        string widest = Vector512.IsHardwareAccelerated ? "vector512"
            : Vector256.IsHardwareAccelerated ? "vector256"
            : Vector128.IsHardwareAccelerated ? "vector128" : "scalar";
        Assert.Equal(widest, FarthestPointKernels.Choose(null).Name);
        Assert.Equal(widest, FarthestPointKernels.Choose("").Name);
        Assert.Throws<ArgumentException>(() => FarthestPointKernels.Choose("avx9000"));
    }

    /// <summary>The smallest seed whose first Next(among) is startOf.</summary>
    private static int Seed(int startOf, int among)
    {
        for (int seed = 0; ; seed++)
        {
            if (new Random(seed).Next(among) == startOf)
            {
                return seed;
            }
        }
    }
}
