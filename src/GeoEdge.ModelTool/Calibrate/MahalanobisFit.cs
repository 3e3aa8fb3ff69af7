using GeoEdge.Inference.Pipelines;

namespace GeoEdge.ModelTool.Calibrate;

/// <summary>Class means and the shared (tied) covariance of embeddings (Lee et al. 2018), and the distance to the nearest class mean.</summary>
/// <remarks>
/// The covariance is the maximum-likelihood one, (1/n) sum (e - mu_y)(e - mu_y)', shrunk toward a scaled identity:
/// (1 - a) S + a (trace(S) / d) I. A validation split has fewer samples than embedding dimensions, so S alone is singular;
/// the shrinkage keeps it invertible and is written down rather than hidden in a pseudo-inverse.
/// </remarks>
internal sealed class MahalanobisFit
{
    public const double DefaultShrinkage = 0.1;

    private readonly MahalanobisScorer _scorer;

    private MahalanobisFit(double[][] means, double[][] covariance, double[,] precision)
    {
        Means = means;
        Covariance = covariance;
        Precision = precision;
        _scorer = new MahalanobisScorer(means, precision);
    }

    public double[][] Means { get; }

    public double[][] Covariance { get; }

    /// <summary>The inverse of <see cref="Covariance"/> (what a bundle stores, in float32, as its precision file).</summary>
    public double[,] Precision { get; }

    public static MahalanobisFit Fit(double[][] embeddings, int[] labels, int classes, double shrinkage = DefaultShrinkage)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        int d = embeddings[0].Length;
        var means = new double[classes][];
        var counts = new int[classes];
        for (int c = 0; c < classes; c++)
        {
            means[c] = new double[d];
        }

        for (int i = 0; i < embeddings.Length; i++)
        {
            counts[labels[i]]++;
            for (int j = 0; j < d; j++)
            {
                means[labels[i]][j] += embeddings[i][j];
            }
        }

        for (int c = 0; c < classes; c++)
        {
            if (counts[c] == 0)
            {
                throw new ArgumentException($"class {c} has no samples; every class needs one for its mean");
            }

            for (int j = 0; j < d; j++)
            {
                means[c][j] /= counts[c];
            }
        }

        var cov = new double[d][];
        for (int a = 0; a < d; a++)
        {
            cov[a] = new double[d];
        }

        var diff = new double[d];
        for (int i = 0; i < embeddings.Length; i++)
        {
            for (int j = 0; j < d; j++)
            {
                diff[j] = embeddings[i][j] - means[labels[i]][j];
            }

            for (int a = 0; a < d; a++)
            {
                for (int b = 0; b < d; b++)
                {
                    cov[a][b] += diff[a] * diff[b];
                }
            }
        }

        double trace = 0;
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b < d; b++)
            {
                cov[a][b] /= embeddings.Length;
            }

            trace += cov[a][a];
        }

        double floor = shrinkage * trace / d;
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b < d; b++)
            {
                cov[a][b] = ((1 - shrinkage) * cov[a][b]) + (a == b ? floor : 0);
            }
        }

        return new MahalanobisFit(means, cov, Invert(cov) ?? throw new ArgumentException("the embedding covariance is singular even after shrinkage (constant embeddings?)"));
    }

    /// <summary>min over classes of sqrt((e - mu_c)' inv(S) (e - mu_c)): the runtime's own scorer, so tool and device agree.</summary>
    public double Distance(double[] embedding) => _scorer.Distance(embedding.AsSpan());

    /// <summary>Inverse of a symmetric positive definite matrix by Cholesky; null when it is not positive definite.</summary>
    internal static double[,]? Invert(double[][] a)
    {
        int n = a.Length;
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = a[i][j];
                for (int k = 0; k < j; k++)
                {
                    s -= l[i, k] * l[j, k];
                }

                if (i == j)
                {
                    if (!(s > 0))
                    {
                        return null;
                    }

                    l[i, i] = Math.Sqrt(s);
                }
                else
                {
                    l[i, j] = s / l[j, j];
                }
            }
        }

        // inv(A) = inv(L)' inv(L); columns of inv(L) by forward substitution.
        var li = new double[n, n];
        for (int col = 0; col < n; col++)
        {
            for (int i = col; i < n; i++)
            {
                double s = i == col ? 1 : 0;
                for (int k = col; k < i; k++)
                {
                    s -= l[i, k] * li[k, col];
                }

                li[i, col] = s / l[i, i];
            }
        }

        var inv = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int k = i; k < n; k++)
                {
                    s += li[k, i] * li[k, j];
                }

                inv[i, j] = s;
                inv[j, i] = s;
            }
        }

        return inv;
    }
}
