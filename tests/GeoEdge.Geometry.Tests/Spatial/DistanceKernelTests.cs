using GeoEdge.Geometry.Spatial;

namespace GeoEdge.Geometry.Tests.Spatial;

[Trait("Category", "Unit")]
public sealed class DistanceKernelTests
{
    public static TheoryData<string> Variants() => KernelVariants.All();

    [Theory]
    [MemberData(nameof(Variants))]
    public void Collect_selects_the_same_slots_and_distances_as_the_scalar_reference(string variant)
    {
        var random = new Random(7);
        for (int count = 0; count <= 40; count++)
        {
            // Padding as KdTree lays it out; ties come from coordinates on a coarse grid.
            var x = new float[count + KdTree.Padding];
            var y = new float[count + KdTree.Padding];
            var z = new float[count + KdTree.Padding];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = random.Next(5) * 0.37f;
                y[i] = (float)random.NextDouble();
                z[i] = random.Next(3) - 1;
            }

            foreach (float bound in new[] { 0f, 0.2f, 0.5f, 1.1f, float.PositiveInfinity })
            {
                (float[] expectedD2, int[] expectedSlot) = Run(SimdVariant.Scalar, x, y, z, count, bound);
                (float[] actualD2, int[] actualSlot) = Run(Enum.Parse<SimdVariant>(variant), x, y, z, count, bound);

                Assert.Equal(expectedSlot, actualSlot);
                Assert.Equal(expectedD2, actualD2);
                Assert.All(expectedD2, d2 => Assert.True(d2 <= bound));
            }
        }
    }

    [Fact]
    public void Scalar_reference_keeps_the_boundary_and_the_formula_order()
    {
        float[] x = [3, 0, 1, 0];
        float[] y = [4, 0, 0, 2];
        float[] z = [0, 5, 0, 0];

        (float[] d2, int[] slots) = Run(SimdVariant.Scalar, Pad(x), Pad(y), Pad(z), 4, 25f, 0, 0, 0);

        Assert.Equal([0, 1, 2, 3], slots);
        Assert.Equal([25f, 25f, 1f, 4f], d2);
        Assert.Equal((0.1f * 0.1f) + (0.2f * 0.2f) + (0.3f * 0.3f), ScalarDistanceKernel.SquaredDistance(0.1f, 0.2f, 0.3f, 0, 0, 0));
    }

    [Theory]
    [InlineData("scalar", SimdVariant.Scalar)]
    [InlineData("Vector128", SimdVariant.Vector128)]
    [InlineData(" VECTOR256 ", SimdVariant.Vector256)]
    [InlineData("vector512", SimdVariant.Vector512)]
    [InlineData("avx9000", SimdVariant.Vector128)]
    [InlineData("", SimdVariant.Vector128)]
    [InlineData(null, SimdVariant.Vector128)]
    public void Environment_override_names_a_variant_or_keeps_the_fallback(string? value, object expected)
    {
        Assert.Equal((SimdVariant)expected, SimdSelection.Choose(value, SimdVariant.Vector128));
    }

    private static float[] Pad(float[] values) => [.. values, .. new float[KdTree.Padding]];

    private static (float[] D2, int[] Slots) Run(
        SimdVariant variant, float[] x, float[] y, float[] z, int count, float bound, float qx = 0.37f, float qy = 0.5f, float qz = 0f)
    {
        var d2 = new float[count + KdTree.Padding];
        var slots = new int[count + KdTree.Padding];
        int found = variant switch
        {
            SimdVariant.Scalar => ScalarDistanceKernel.Collect(ref x[0], ref y[0], ref z[0], count, qx, qy, qz, bound, ref d2[0], ref slots[0]),
            SimdVariant.Vector128 => Vector128DistanceKernel.Collect(ref x[0], ref y[0], ref z[0], count, qx, qy, qz, bound, ref d2[0], ref slots[0]),
            SimdVariant.Vector256 => Vector256DistanceKernel.Collect(ref x[0], ref y[0], ref z[0], count, qx, qy, qz, bound, ref d2[0], ref slots[0]),
            _ => Vector512DistanceKernel.Collect(ref x[0], ref y[0], ref z[0], count, qx, qy, qz, bound, ref d2[0], ref slots[0]),
        };
        return (d2[..found], slots[..found]);
    }
}
