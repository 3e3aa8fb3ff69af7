using GeoEdge.Geometry.IO;
using GeoEdge.ModelTool.Running;

namespace GeoEdge.ModelTool.Tests.Running;

/// <summary>|a - b| &lt;= atol + rtol * |b| element by element, NaN only equal to NaN, and which element is reported as worst.</summary>
[Trait("Category", "Unit")]
public sealed class ArrayComparisonTests
{
    private static NpyArray F32(params float[] values) => NpyArray.FromFloat32(values, values.Length);

    [Fact]
    public void Equal_arrays_match_with_zero_error()
    {
        ArrayComparison c = ArrayComparison.Compare(F32(1, 2, 3), F32(1, 2, 3), 0, 0);

        Assert.Equal((true, 0L, 0.0), (c.Matches, c.Mismatches, c.MaxAbsError));
    }

    [Fact]
    public void Nan_equals_only_nan_and_infinities_only_themselves()
    {
        ArrayComparison same = ArrayComparison.Compare(F32(float.NaN, float.PositiveInfinity), F32(float.NaN, float.PositiveInfinity), 0, 0);
        ArrayComparison nan = ArrayComparison.Compare(F32(1, float.NaN), F32(1, 2), 1e-4, 0);
        ArrayComparison signs = ArrayComparison.Compare(F32(float.PositiveInfinity), F32(float.NegativeInfinity), 1e-4, 0);

        Assert.True(same.Matches);
        Assert.Equal((1L, double.PositiveInfinity, 1L, 2.0), (nan.Mismatches, nan.MaxAbsError, nan.WorstIndex, nan.ReferenceValue));
        Assert.True(double.IsNaN(nan.ModelValue));
        Assert.False(signs.Matches);
    }

    [Fact]
    public void The_worst_element_is_the_one_furthest_outside_its_tolerance_not_the_largest_error()
    {
        // 100 vs 100.5 is within rtol 1% (error 0.5, tolerance 1.005); 1 vs 1.25 is not (error 0.25, tolerance 0.0125).
        ArrayComparison c = ArrayComparison.Compare(F32(100, 1), F32(100.5f, 1.25f), 0, 0.01);

        Assert.Equal((false, 1L, 0.5, 1L, 1.0, 1.25), (c.Matches, c.Mismatches, c.MaxAbsError, c.WorstIndex, c.ModelValue, c.ReferenceValue));
    }

    [Fact]
    public void Atol_bounds_the_error_inclusively()
    {
        Assert.True(ArrayComparison.Compare(F32(1.5f), F32(1), 0.5, 0).Matches);
        Assert.False(ArrayComparison.Compare(F32(1.5f), F32(1), 0.25, 0).Matches);
    }

    [Fact]
    public void Different_shapes_never_match_even_with_the_same_elements()
    {
        ArrayComparison c = ArrayComparison.Compare(NpyArray.FromFloat32([1, 2, 3, 4], 2, 2), NpyArray.FromFloat32([1, 2, 3, 4], 4), 1, 1);

        Assert.False(c.ShapeMatches);
        Assert.False(c.Matches);
    }

    [Fact]
    public void Integer_and_float_arrays_compare_by_value()
    {
        ArrayComparison c = ArrayComparison.Compare(NpyArray.FromInt64([3, -7], 2), new NpyArray(NpyDType.Float64, [2], [.. BitConverter.GetBytes(3.0), .. BitConverter.GetBytes(-4.0)]), 0, 0);

        Assert.Equal((1L, 3.0, 1L, -7.0, -4.0), (c.Mismatches, c.MaxAbsError, c.WorstIndex, c.ModelValue, c.ReferenceValue));
    }

    [Fact]
    public void Empty_arrays_match_and_have_no_worst_element()
    {
        ArrayComparison c = ArrayComparison.Compare(NpyArray.FromFloat32([], 0, 3), NpyArray.FromFloat32([], 0, 3), 0, 0);

        Assert.Equal((true, -1L), (c.Matches, c.WorstIndex));
    }

    [Theory]
    [InlineData(0, new[] { 2, 3, 4 }, new[] { 0, 0, 0 })]
    [InlineData(23, new[] { 2, 3, 4 }, new[] { 1, 2, 3 })]
    [InlineData(13, new[] { 2, 3, 4 }, new[] { 1, 0, 1 })]
    [InlineData(0, new int[0], new int[0])]
    public void Unravel_turns_a_flat_index_into_c_order_coordinates(long flat, int[] shape, int[] expected) =>
        Assert.Equal(expected, ArrayComparison.Unravel(flat, shape));
}
