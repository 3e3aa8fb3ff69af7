using GeoEdge.Geometry.IO;

namespace GeoEdge.ModelTool.Running;

/// <summary>The outcome of comparing a model output with its reference element by element.</summary>
/// <param name="ShapeMatches">False when the shapes differ; then nothing else was compared.</param>
/// <param name="Mismatches">Elements outside |model - reference| &lt;= atol + rtol * |reference|.</param>
/// <param name="MaxAbsError">Largest |model - reference| (infinity where exactly one side is NaN).</param>
/// <param name="WorstIndex">Flat C-order index of the element furthest outside its tolerance (or of the max error when all match); -1 when empty.</param>
public sealed record ArrayComparison(bool ShapeMatches, long Mismatches, double MaxAbsError, long WorstIndex, double ModelValue, double ReferenceValue)
{
    public bool Matches => ShapeMatches && Mismatches == 0;

    /// <summary>Compares <paramref name="model"/> with <paramref name="reference"/>; NaN equals only NaN, equal infinities match.</summary>
    public static ArrayComparison Compare(NpyArray model, NpyArray reference, double atol, double rtol)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reference);
        if (!model.Shape.AsSpan().SequenceEqual(reference.Shape))
        {
            return new ArrayComparison(false, 0, double.NaN, -1, double.NaN, double.NaN);
        }

        double[] a = ToDoubles(model);
        double[] b = ToDoubles(reference);
        long mismatches = 0;
        double maxError = 0;
        long worst = a.Length == 0 ? -1 : 0;
        double worstExcess = double.NegativeInfinity;
        for (int i = 0; i < a.Length; i++)
        {
            double error = Error(a[i], b[i]);

            // rtol * |inf| would be NaN when rtol is 0, so the relative term is only formed when asked for.
            double tolerance = rtol > 0 ? atol + (rtol * Math.Abs(b[i])) : atol;
            double excess = error == 0 ? double.NegativeInfinity : error - tolerance;
            if (double.IsNaN(excess))
            {
                excess = double.PositiveInfinity; // a finite value against an infinite reference: infinitely far out
            }

            if (excess > 0)
            {
                mismatches++;
            }

            maxError = Math.Max(maxError, error);

            // The worst element is the one furthest outside its tolerance; with rtol = 0 that is the max error.
            if (excess > worstExcess)
            {
                worstExcess = excess;
                worst = i;
            }
        }

        return worst < 0
            ? new ArrayComparison(true, 0, 0, -1, double.NaN, double.NaN)
            : new ArrayComparison(true, mismatches, maxError, worst, a[worst], b[worst]);
    }

    /// <summary>Unravels a flat C-order index into one index per dimension.</summary>
    public static int[] Unravel(long flat, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int[] index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = (int)(flat % shape[d]);
            flat /= shape[d];
        }

        return index;
    }

    private static double Error(double a, double b)
    {
        if (a.Equals(b))
        {
            return 0; // equal values, equal infinities and NaN against NaN
        }

        return double.IsNaN(a) || double.IsNaN(b) ? double.PositiveInfinity : Math.Abs(a - b);
    }

    private static double[] ToDoubles(NpyArray array)
    {
        var values = new double[array.Length];
        switch (array.DType)
        {
            case NpyDType.Bool:
                Span<byte> flags = array.Data;
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = flags[i] != 0 ? 1 : 0;
                }

                break;
            case NpyDType.UInt8:
                Span<byte> bytes = array.Data;
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = bytes[i];
                }

                break;
            case NpyDType.Int32:
                Span<int> ints = array.AsSpan<int>();
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = ints[i];
                }

                break;
            case NpyDType.Int64:
                Span<long> longs = array.AsSpan<long>();
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = longs[i];
                }

                break;
            case NpyDType.Float32:
                Span<float> floats = array.AsSpan<float>();
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = floats[i];
                }

                break;
            default:
                array.AsSpan<double>().CopyTo(values);
                break;
        }

        return values;
    }
}
