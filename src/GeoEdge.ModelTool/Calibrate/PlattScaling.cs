namespace GeoEdge.ModelTool.Calibrate;

/// <summary>Fits p = sigmoid(scale * z + bias) to binary labels by minimising the mean negative log-likelihood (Platt 1999).</summary>
/// <remarks>
/// A per-sensor anomaly logit trained with a positive weight (sensor-stgnn: BCE pos_weight 3) is shifted as well as too
/// sharp or too flat, so a temperature alone cannot calibrate it; the bias takes the shift. The NLL is convex in
/// (scale, bias); Newton steps with the exact 2x2 Hessian, halved until the NLL does not rise, converge from (1, 0)
/// deterministically. The labels are used as they are (no Platt target smoothing), as temperature scaling does.
/// Perfectly separated data has no finite optimum: the scale is then capped at <see cref="MaxScale"/>.
/// </remarks>
internal static class PlattScaling
{
    public const double MaxScale = 100;

    public static (double Scale, double Bias) Fit(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length == 0 || scores.Length != labels.Length)
        {
            throw new ArgumentException($"Platt scaling needs one label per score and at least one ({scores.Length} scores, {labels.Length} labels)");
        }

        if (!labels.Contains(true) || !labels.Contains(false))
        {
            throw new ArgumentException($"Platt scaling needs positive and negative labels; all {scores.Length} are {(labels[0] ? "positive" : "negative")}");
        }

        double a = 1, b = 0;
        double nll = Nll(scores, labels, a, b);
        for (int iteration = 0; iteration < 100; iteration++)
        {
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            for (int i = 0; i < scores.Length; i++)
            {
                double p = Sigmoid((a * scores[i]) + b);
                double r = p - (labels[i] ? 1 : 0);
                double w = p * (1 - p);
                ga += r * scores[i];
                gb += r;
                haa += w * scores[i] * scores[i];
                hab += w * scores[i];
                hbb += w;
            }

            double det = (haa * hbb) - (hab * hab);
            if (Math.Abs(ga) + Math.Abs(gb) < 1e-12 * scores.Length || det <= 0)
            {
                break;
            }

            double da = ((hbb * ga) - (hab * gb)) / det;
            double db = ((haa * gb) - (hab * ga)) / det;
            double step = 1;
            double na = a - da, nb = b - db, next = Nll(scores, labels, na, nb);
            while (next > nll && step > 1e-10)
            {
                step /= 2;
                (na, nb) = (a - (step * da), b - (step * db));
                next = Nll(scores, labels, na, nb);
            }

            if (next > nll || na > MaxScale)
            {
                break;
            }

            bool converged = nll - next < 1e-15 * Math.Max(1, nll);
            (a, b, nll) = (na, nb, next);
            if (converged)
            {
                break;
            }
        }

        return (a, b);
    }

    /// <summary>Mean negative log-likelihood of sigmoid(scale * z + bias) at the labels, computed without overflow.</summary>
    public static double Nll(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double scale, double bias)
    {
        double sum = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            double u = (scale * scores[i]) + bias;

            // -log sigmoid(u) = softplus(-u); -log(1 - sigmoid(u)) = softplus(u).
            sum += Softplus(labels[i] ? -u : u);
        }

        return sum / scores.Length;
    }

    public static double Sigmoid(double u) => u >= 0 ? 1 / (1 + Math.Exp(-u)) : Math.Exp(u) / (1 + Math.Exp(u));

    private static double Softplus(double u) => u > 0 ? u + Math.Log(1 + Math.Exp(-u)) : Math.Log(1 + Math.Exp(u));
}
