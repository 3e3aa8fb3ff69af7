namespace GeoEdge.ModelTool.Calibrate;

/// <summary>Fits the temperature T that minimises the mean negative log-likelihood of softmax(logits / T) (Guo et al. 2017), or, on request, its expected calibration error.</summary>
/// <remarks>
/// The NLL is convex in beta = 1/T (logsumexp is convex, the label term linear), and its derivative
/// mean(E_p[z] - z_y) increases with beta, so the optimum is the root of that derivative. The search keeps a bracket
/// [lo, hi] on beta and takes Newton steps (second derivative mean(Var_p[z])) that stay inside it, bisecting
/// otherwise: deterministic, and exact to double rounding. T is clamped to [<see cref="MinTemperature"/>,
/// <see cref="MaxTemperature"/>] because perfectly separated data has its optimum at T -> 0.
/// </remarks>
internal static class TemperatureScaling
{
    public const double MinTemperature = 0.05;
    public const double MaxTemperature = 20;

    public static double Fit(double[][] logits, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Length == 0 || logits.Length != labels.Length)
        {
            throw new ArgumentException($"temperature fit needs as many labels as logit rows and at least one ({logits.Length} rows, {labels.Length} labels)");
        }

        double lo = 1 / MaxTemperature, hi = 1 / MinTemperature;
        if (Derivatives(logits, labels, lo).First >= 0)
        {
            return MaxTemperature;
        }

        if (Derivatives(logits, labels, hi).First <= 0)
        {
            return MinTemperature;
        }

        double beta = 1;
        for (int iteration = 0; iteration < 200 && hi - lo > 1e-15 * hi; iteration++)
        {
            (double first, double second) = Derivatives(logits, labels, beta);
            if (first == 0)
            {
                break;
            }

            if (first > 0)
            {
                hi = beta;
            }
            else
            {
                lo = beta;
            }

            double newton = second > 0 ? beta - (first / second) : double.NaN;
            beta = newton > lo && newton < hi ? newton : 0.5 * (lo + hi);
        }

        return 1 / beta;
    }

    /// <summary>The temperature whose softmax(logits / T) has the lowest 15-bin ECE (top-label confidence against accuracy).</summary>
    /// <remarks>
    /// ECE is piecewise smooth in T with jumps where a confidence crosses a bin edge, so there is no derivative to follow:
    /// a log-spaced grid over [<see cref="MinTemperature"/>, <see cref="MaxTemperature"/>] (0.75 % steps), then a finer grid
    /// between the best point's neighbours. Ties go to the lower temperature. The NLL fit is a proper scoring rule over all
    /// classes; this one targets the number a device acts on, the reported top-1 confidence.
    /// </remarks>
    public static double FitEce(double[][] logits, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Length == 0 || logits.Length != labels.Length)
        {
            throw new ArgumentException($"temperature fit needs as many labels as logit rows and at least one ({logits.Length} rows, {labels.Length} labels)");
        }

        const int Coarse = 800;
        double logMin = Math.Log(MinTemperature), step = (Math.Log(MaxTemperature) - logMin) / Coarse;
        (double best, double bestEce) = BestOnGrid(logits, labels, logMin, step, Coarse + 1);
        const int Fine = 40;
        double fineStart = Math.Max(logMin, Math.Log(best) - step);
        (double refined, double refinedEce) = BestOnGrid(logits, labels, fineStart, 2 * step / Fine, Fine + 1);
        return refinedEce < bestEce ? refined : best;
    }

    private static (double Temperature, double Ece) BestOnGrid(double[][] logits, int[] labels, double logStart, double logStep, int points)
    {
        double best = double.NaN, bestEce = double.PositiveInfinity;
        for (int i = 0; i < points; i++)
        {
            double t = Math.Clamp(Math.Exp(logStart + (i * logStep)), MinTemperature, MaxTemperature);
            double ece = CalibrationMetrics.Ece(CalibrationMetrics.Probabilities(logits, t), labels);
            if (ece < bestEce)
            {
                (best, bestEce) = (t, ece);
            }
        }

        return (best, bestEce);
    }

    /// <summary>Mean NLL of softmax(beta * z) at the labels.</summary>
    public static double Nll(double[][] logits, int[] labels, double beta)
    {
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            sum += LogSumExp(logits[i], beta) - (beta * logits[i][labels[i]]);
        }

        return sum / logits.Length;
    }

    private static (double First, double Second) Derivatives(double[][] logits, int[] labels, double beta)
    {
        double first = 0, second = 0;
        foreach ((double[] z, int y) in logits.Zip(labels))
        {
            double max = z.Max() * beta;
            double sum = 0, mean = 0, square = 0;
            foreach (double v in z)
            {
                double w = Math.Exp((beta * v) - max);
                sum += w;
                mean += w * v;
                square += w * v * v;
            }

            mean /= sum;
            first += mean - z[y];
            second += Math.Max(0, (square / sum) - (mean * mean));
        }

        return (first / logits.Length, second / logits.Length);
    }

    private static double LogSumExp(double[] z, double beta)
    {
        double max = double.NegativeInfinity;
        foreach (double v in z)
        {
            max = Math.Max(max, beta * v);
        }

        double sum = 0;
        foreach (double v in z)
        {
            sum += Math.Exp((beta * v) - max);
        }

        return max + Math.Log(sum);
    }
}
