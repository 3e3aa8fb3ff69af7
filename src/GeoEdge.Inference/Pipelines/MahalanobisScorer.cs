using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Pipelines;

/// <summary>Distance of an embedding to the nearest class mean under a shared covariance (Lee et al. 2018): min over c of sqrt((e - mu_c)' inv(S) (e - mu_c)).</summary>
/// <remarks>
/// With the precision P = inv(S) positive definite (the usual case) it is factored once, P = L L', and the distance is
/// |L'e - L'mu_c|: one triangular product per embedding and L'mu_c kept per class, instead of a d x d quadratic form per
/// class (256 wide, 15 classes: ~1.3 ms per cloud on the device before). A precision that is not positive definite (a
/// pseudo-inverse) is evaluated as the quadratic form per class.
/// </remarks>
public sealed class MahalanobisScorer
{
    private readonly int _width;
    private readonly int _classes;

    // Either the factor U = L' and U mu_c (positive definite), or the symmetric precision and the means (the fallback).
    private readonly double[]? _factor;
    private readonly double[]? _factoredMeans;
    private readonly double[]? _precision;
    private readonly double[]? _means;

    /// <param name="means">Class means, one row per class, each as wide as <paramref name="precision"/>.</param>
    /// <param name="precision">The inverse of the shared covariance.</param>
    public MahalanobisScorer(double[][] means, double[,] precision)
    {
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(precision);
        int d = precision.GetLength(0);
        _width = d;
        _classes = means.Length;
        var symmetric = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                // x'Px = x'((P + P')/2)x: the symmetric part is the same quadratic form
                symmetric[(i * d) + j] = 0.5 * (precision[i, j] + precision[j, i]);
            }
        }

        var rows = new double[_classes * d];
        for (int c = 0; c < _classes; c++)
        {
            means[c].AsSpan(0, d).CopyTo(rows.AsSpan(c * d, d));
        }

        _factor = UpperCholesky(symmetric, d);
        if (_factor is null)
        {
            (_precision, _means) = (symmetric, rows);
            return;
        }

        _factoredMeans = new double[_classes * d];
        for (int c = 0; c < _classes; c++)
        {
            Transform(_factor, d, rows.AsSpan(c * d, d), _factoredMeans.AsSpan(c * d, d));
        }
    }

    public int Width => _width;

    /// <summary>The scorer of a verified bundle's OOD statistics (class means and the precision file or inline covariance); null when it has none.</summary>
    /// <exception cref="PipelineConfigurationException">The statistics are missing a part, malformed or of mismatched widths (the message names the field).</exception>
    public static MahalanobisScorer? FromBundle(ModelBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        OodDetector? ood = bundle.Manifest.Ood;
        return ood is not null && HasStatistics(ood) ? Create(bundle, ood, new ManifestFields(bundle.Manifest)) : null;
    }

    /// <summary>Whether the manifest carries any Mahalanobis statistics (then all of them must be valid).</summary>
    internal static bool HasStatistics(OodDetector ood) => ood.ClassMeans is not null || ood.Covariance is not null || ood.PrecisionFile is not null;

    /// <summary>The manifest field the matrix came from, for errors about its width.</summary>
    internal static string MatrixPath(OodDetector ood) => ood.PrecisionFile is not null ? PrecisionMatrixFile.FieldPath : "$.ood.covariance";

    /// <summary>Builds the scorer from the manifest's OOD statistics: the precision file as stored, or the inline covariance, inverted here once unless it is the inverse.</summary>
    internal static MahalanobisScorer Create(ModelBundle bundle, OodDetector ood, ManifestFields fields)
    {
        IReadOnlyList<IReadOnlyList<double>> means = ood.ClassMeans ?? fields.Fail<IReadOnlyList<IReadOnlyList<double>>>("$.ood.classMeans", "missing");
        double[,] precision = ood.PrecisionFile is { } file ? PrecisionMatrixFile.Read(bundle, file, fields) : InlinePrecision(ood, fields);
        int d = precision.GetLength(0);
        var rows = new double[means.Count][];
        for (int c = 0; c < rows.Length; c++)
        {
            rows[c] = means[c].Count == d ? [.. means[c]] : fields.Fail<double[]>($"$.ood.classMeans[{c}]", $"expected {d} numbers (the width of {MatrixPath(ood)})");
        }

        return new MahalanobisScorer(rows, precision);
    }

    private static double[,] InlinePrecision(OodDetector ood, ManifestFields fields)
    {
        IReadOnlyList<IReadOnlyList<double>> cov = ood.Covariance ?? fields.Fail<IReadOnlyList<IReadOnlyList<double>>>(PrecisionMatrixFile.FieldPath, "missing (or the older inline $.ood.covariance)");
        int d = cov.Count;
        var matrix = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            if (cov[i].Count != d)
            {
                fields.Fail($"$.ood.covariance[{i}]", $"expected {d} numbers (a square matrix)");
            }

            for (int j = 0; j < d; j++)
            {
                matrix[i, j] = cov[i][j];
            }
        }

        return ood.CovarianceIsInverse == true ? matrix : Invert(matrix) ?? fields.Fail<double[,]>("$.ood.covariance", "singular; store its (pseudo-)inverse with covarianceIsInverse");
    }

    /// <summary>The distance of a model's float embedding (the device's hot path: no allocation up to 1024 wide).</summary>
    public double Distance(ReadOnlySpan<float> embedding) => DistanceOf(embedding);

    /// <summary>The same distance for an embedding kept in double (calibration and evaluation tools).</summary>
    public double Distance(ReadOnlySpan<double> embedding) => DistanceOf(embedding);

    private double DistanceOf<T>(ReadOnlySpan<T> embedding)
        where T : System.Numerics.INumberBase<T>
    {
        int d = _width;
        Span<double> e = d <= 1024 ? stackalloc double[d] : new double[d];
        for (int i = 0; i < d; i++)
        {
            e[i] = double.CreateTruncating(embedding[i]);
        }

        double best = _factor is not null ? FactoredMinimum(e) : QuadraticMinimum(e);

        // Rounding can make a tiny quadratic form negative; the distance is then 0.
        return Math.Sqrt(Math.Max(0, best));
    }

    private double FactoredMinimum(Span<double> e)
    {
        int d = _width;
        Span<double> u = d <= 1024 ? stackalloc double[d] : new double[d];
        Transform(_factor!, d, e, u);
        double best = double.PositiveInfinity;
        for (int c = 0; c < _classes; c++)
        {
            best = Math.Min(best, SquaredDistance(u, _factoredMeans.AsSpan(c * d, d)));
        }

        return best;
    }

    private double QuadraticMinimum(Span<double> e)
    {
        int d = _width;
        Span<double> diff = d <= 1024 ? stackalloc double[d] : new double[d];
        double best = double.PositiveInfinity;
        for (int c = 0; c < _classes; c++)
        {
            ReadOnlySpan<double> mean = _means!.AsSpan(c * d, d);
            for (int i = 0; i < d; i++)
            {
                diff[i] = e[i] - mean[i];
            }

            double q = 0;
            for (int i = 0; i < d; i++)
            {
                q += diff[i] * Dot(_precision!.AsSpan(i * d, d), diff);
            }

            best = Math.Min(best, q);
        }

        return best;
    }

    /// <summary>U = L' of P = L L' (row-major upper triangle), or null when P is not positive definite.</summary>
    private static double[]? UpperCholesky(double[] p, int d)
    {
        // Row j of U is column j of L: U[j, i] = L[i, j], i >= j.
        var u = new double[d * d];
        for (int j = 0; j < d; j++)
        {
            double diagonal = p[(j * d) + j];
            for (int k = 0; k < j; k++)
            {
                diagonal -= u[(k * d) + j] * u[(k * d) + j];
            }

            if (!(diagonal > 0) || !double.IsFinite(diagonal))
            {
                return null;
            }

            double root = Math.Sqrt(diagonal);
            u[(j * d) + j] = root;
            for (int i = j + 1; i < d; i++)
            {
                double sum = p[(i * d) + j];
                for (int k = 0; k < j; k++)
                {
                    sum -= u[(k * d) + i] * u[(k * d) + j];
                }

                u[(j * d) + i] = sum / root;
            }
        }

        return u;
    }

    /// <summary>result = U x for the upper-triangular factor: only the columns from the diagonal on.</summary>
    private static void Transform(double[] u, int d, ReadOnlySpan<double> x, Span<double> result)
    {
        for (int j = 0; j < d; j++)
        {
            result[j] = Dot(u.AsSpan((j * d) + j, d - j), x[j..]);
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = System.Numerics.Vector<double>.Zero;
        int width = System.Numerics.Vector<double>.Count;
        int i = 0;
        for (; i <= a.Length - width; i += width)
        {
            sum += new System.Numerics.Vector<double>(a[i..]) * new System.Numerics.Vector<double>(b[i..]);
        }

        double total = System.Numerics.Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }

    private static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = System.Numerics.Vector<double>.Zero;
        int width = System.Numerics.Vector<double>.Count;
        int i = 0;
        for (; i <= a.Length - width; i += width)
        {
            var diff = new System.Numerics.Vector<double>(a[i..]) - new System.Numerics.Vector<double>(b[i..]);
            sum += diff * diff;
        }

        double total = System.Numerics.Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return total;
    }

    /// <summary>Gauss-Jordan inverse with partial pivoting; null when the matrix is singular.</summary>
    internal static double[,]? Invert(double[,] a)
    {
        int n = a.GetLength(0);
        var m = (double[,])a.Clone();
        var inv = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            inv[i, i] = 1;
        }

        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                pivot = Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]) ? r : pivot;
            }

            if (m[pivot, col] == 0 || !double.IsFinite(m[pivot, col]))
            {
                return null;
            }

            Swap(m, inv, pivot, col);
            double scale = 1 / m[col, col];
            for (int j = 0; j < n; j++)
            {
                m[col, j] *= scale;
                inv[col, j] *= scale;
            }

            for (int r = 0; r < n; r++)
            {
                double factor = m[r, col];
                if (r == col || factor == 0)
                {
                    continue;
                }

                for (int j = 0; j < n; j++)
                {
                    m[r, j] -= factor * m[col, j];
                    inv[r, j] -= factor * inv[col, j];
                }
            }
        }

        return inv;
    }

    private static void Swap(double[,] m, double[,] inv, int a, int b)
    {
        if (a == b)
        {
            return;
        }

        for (int j = 0; j < m.GetLength(1); j++)
        {
            (m[a, j], m[b, j]) = (m[b, j], m[a, j]);
            (inv[a, j], inv[b, j]) = (inv[b, j], inv[a, j]);
        }
    }
}
