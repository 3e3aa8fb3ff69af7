using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>Softmax, energy, top-k and the covariance inverse on hand-checkable numbers.</summary>
[Trait("Category", "Unit")]
public sealed class ClassScoresTests
{
    [Fact]
    public void Softmax_divides_the_logits_by_the_temperature()
    {
        var p = new double[3];

        ClassScores.Softmax([2f, 0f, 0f], 2.0, p);

        double e = Math.E;
        Assert.Equal([e / (e + 2), 1 / (e + 2), 1 / (e + 2)], p, new Tolerant(1e-15));
    }

    [Fact]
    public void Softmax_and_energy_stay_finite_for_huge_logits()
    {
        var p = new double[2];

        ClassScores.Softmax([1000f, 1000f], 1.0, p);

        Assert.Equal([0.5, 0.5], p);
        Assert.Equal(-(1000 + Math.Log(2)), ClassScores.Energy([1000f, 1000f], 1.0), 10);
    }

    [Fact]
    public void Energy_is_minus_t_log_sum_exp_of_logits_over_t()
    {
        Assert.Equal(-3 * Math.Log(Math.Exp(1) + Math.Exp(2)), ClassScores.Energy([3f, 6f], 3.0), 12);
    }

    [Fact]
    public void Top_k_is_most_probable_first_and_ties_keep_the_lower_index_first()
    {
        Assert.Equal([3, 1, 4], ClassScores.TopK([0.1, 0.2, 0.1, 0.4, 0.2], 3));
        Assert.Equal([0, 2], ClassScores.TopK([0.3, 0.1, 0.3, 0.3], 2));
        Assert.Equal([1, 0], ClassScores.TopK([0.4, 0.6], 5));
    }

    [Fact]
    public void Inverse_of_a_matrix_needing_a_pivot_swap()
    {
        double[,]? inv = MahalanobisScorer.Invert(new double[,] { { 0, 2 }, { 4, 0 } });

        Assert.NotNull(inv);
        Assert.Equal(new double[,] { { 0, 0.25 }, { 0.5, 0 } }, inv);
    }

    [Fact]
    public void A_singular_matrix_has_no_inverse()
    {
        Assert.Null(MahalanobisScorer.Invert(new double[,] { { 1, 2 }, { 2, 4 } }));
    }

    private sealed class Tolerant(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
