using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Quantize;

/// <summary>The float and the quantized model run side by side in ONNX Runtime (CPU, one thread) on the same samples:
/// the largest |quantized - float| per output, and top-1 accuracy of the first output against labels when given.</summary>
internal sealed class QuantizationCheck
{
    public SortedDictionary<string, double> MaxDifference { get; } = new(StringComparer.Ordinal);

    public int Samples { get; private set; }

    public int FloatCorrect { get; private set; }

    public int QuantizedCorrect { get; private set; }

    public double FloatAccuracy => Samples == 0 ? 0 : (double)FloatCorrect / Samples;

    public double QuantizedAccuracy => Samples == 0 ? 0 : (double)QuantizedCorrect / Samples;

    public static QuantizationCheck Run(byte[] floatModel, byte[] quantizedModel, IReadOnlyList<ProofTensor[]> samples, long[]? labels)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var check = new QuantizationCheck();
        using var reference = new OrtEvaluator(floatModel);
        using var quantized = new OrtEvaluator(quantizedModel);
        for (int s = 0; s < samples.Count; s++)
        {
            List<ProofOutput> a = reference.Run(samples[s]);
            List<ProofOutput> b = quantized.Run(samples[s]);
            for (int o = 0; o < a.Count; o++)
            {
                double max = check.MaxDifference.GetValueOrDefault(a[o].Name);
                for (int i = 0; i < a[o].Values.Length; i++)
                {
                    max = Math.Max(max, Math.Abs(a[o].Values[i] - b[o].Values[i]));
                }

                check.MaxDifference[a[o].Name] = max;
            }

            check.Samples++;
            if (labels is not null)
            {
                check.FloatCorrect += ArgMax(a[0].Values) == labels[s] ? 1 : 0;
                check.QuantizedCorrect += ArgMax(b[0].Values) == labels[s] ? 1 : 0;
            }
        }

        return check;
    }

    private static int ArgMax(double[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}
