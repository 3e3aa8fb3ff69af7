using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>The Mahalanobis distance to the nearest class mean: hand-checked values, a non-symmetric and a singular precision, and agreement with the per-class quadratic form.</summary>
[Trait("Category", "Unit")]
public sealed class MahalanobisScorerTests
{
    [Fact]
    public void Distance_is_the_square_root_of_the_smallest_quadratic_form()
    {
        // P = [[2, 0.5], [0.5, 1]]; e = (1, 1): class 0 at the origin gives 2 + 0.5 + 0.5 + 1 = 4, class 1 at (3, 0)
        // gives diff (-2, 1): 8 - 2 + 1 = 7; the nearest is class 0, distance 2.
        var scorer = new MahalanobisScorer([[0, 0], [3, 0]], new double[,] { { 2, 0.5 }, { 0.5, 1 } });

        Assert.Equal(2.0, scorer.Distance([1f, 1f]), 12);
        Assert.Equal(Math.Sqrt(7), new MahalanobisScorer([[3, 0]], new double[,] { { 2, 0.5 }, { 0.5, 1 } }).Distance([1.0, 1.0]), 12);
    }

    [Fact]
    public void A_non_symmetric_precision_scores_by_its_quadratic_form()
    {
        // [[2, 0.8], [0.2, 1]] has the symmetric part [[2, 0.5], [0.5, 1]]: x'Px is the same for every x.
        var scorer = new MahalanobisScorer([[0, 0], [3, 0]], new double[,] { { 2, 0.8 }, { 0.2, 1 } });

        Assert.Equal(2.0, scorer.Distance([1.0, 1.0]), 12);
    }

    [Fact]
    public void A_singular_precision_still_scores_exactly()
    {
        // P = [[1, 1], [1, 1]] (eigenvalues 0 and 2: a pseudo-inverse has no Cholesky factor): x'Px = (x0 + x1)^2.
        var scorer = new MahalanobisScorer([[0, 0], [5, 5]], new double[,] { { 1, 1 }, { 1, 1 } });

        Assert.Equal(3.0, scorer.Distance([1.0, 2.0]), 12); // to the origin: (1 + 2)^2 = 9; to (5, 5): (-4 - 3)^2 = 49
        Assert.Equal(0.0, scorer.Distance([6.0, 4.0]), 12); // diff (1, -1) lies in the null space of P
    }

    [Fact]
    public void Matches_the_per_class_quadratic_form_on_a_random_positive_definite_precision()
    {
        const int d = 64;
        const int classes = 5;
        var random = new Random(7);
        var a = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                a[i, j] = random.NextDouble() - 0.5;
            }
        }

        var precision = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double sum = i == j ? 0.1 : 0;
                for (int k = 0; k < d; k++)
                {
                    sum += a[i, k] * a[j, k];
                }

                precision[i, j] = sum;
            }
        }

        double[][] means = [.. Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, d).Select(_ => (random.NextDouble() * 4) - 2).ToArray())];
        var scorer = new MahalanobisScorer(means, precision);
        for (int s = 0; s < 20; s++)
        {
            float[] e = [.. Enumerable.Range(0, d).Select(_ => (float)((random.NextDouble() * 4) - 2))];
            double expected = double.PositiveInfinity;
            foreach (double[] mean in means)
            {
                double q = 0;
                for (int i = 0; i < d; i++)
                {
                    for (int j = 0; j < d; j++)
                    {
                        q += (e[i] - mean[i]) * precision[i, j] * (e[j] - mean[j]);
                    }
                }

                expected = Math.Min(expected, q);
            }

            Assert.Equal(Math.Sqrt(expected), scorer.Distance(e), 1e-9 * Math.Sqrt(expected));
        }
    }
}
