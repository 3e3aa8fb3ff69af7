using GeoEdge.Geometry.Sampling;

namespace GeoEdge.Geometry.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class FarthestPointKernelTests
{
    [Fact]
    public void Vector_kernels_update_distances_and_pick_the_same_argmax_as_scalar_at_every_length()
    {
        // Lengths 0..70 cover empty slices, pure tails, one vector and several vectors plus tails of each width.
        var random = new Random(17);
        for (int n = 0; n <= 70; n++)
        {
            // Coordinates on a coarse lattice so equal maxima land in different lanes and in the tail.
            float[] xs = Lattice(random, n), ys = Lattice(random, n), zs = Lattice(random, n);
            float[] start = new float[n];
            for (int i = 0; i < n; i++)
            {
                start[i] = random.Next(4) == 0 ? float.PositiveInfinity : random.Next(6);
            }

            float[] expectedDist = (float[])start.Clone();
            int expected = ScalarFarthestPointKernel.Instance.UpdateAndArgMax(xs, ys, zs, expectedDist, 1, 0, 2, out float expectedMax);
            foreach (IFarthestPointKernel kernel in FarthestPointKernels.All)
            {
                float[] dist = (float[])start.Clone();
                int actual = kernel.UpdateAndArgMax(xs, ys, zs, dist, 1, 0, 2, out float max);
                Assert.True(expected == actual, $"{kernel.Name} at n={n}: argmax {actual}, expected {expected}");
                Assert.Equal(expectedMax, max);
                Assert.Equal(expectedDist, dist);
            }
        }
    }

    [Fact]
    public void Scalar_kernel_takes_the_first_of_equal_maxima_and_reports_minus_one_when_empty()
    {
        float[] xs = [3, -3, 3, 0], ys = [0, 0, 0, 0], zs = [0, 0, 0, 0];
        float[] dist = [float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity];

        int index = ScalarFarthestPointKernel.Instance.UpdateAndArgMax(xs, ys, zs, dist, 0, 0, 0, out float max);

        Assert.Equal(0, index);
        Assert.Equal(9f, max);
        Assert.Equal([9f, 9f, 9f, 0f], dist);
        Assert.Equal(-1, ScalarFarthestPointKernel.Instance.UpdateAndArgMax([], [], [], [], 0, 0, 0, out _));
    }

    private static float[] Lattice(Random random, int n)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = random.Next(3);
        }

        return values;
    }
}
