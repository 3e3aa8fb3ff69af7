namespace GeoEdge.Geometry.Transforms;

/// <summary>PyG RandomRotate: rotates each example about one axis by an angle drawn uniformly from a range of degrees.</summary>
/// <remarks>
/// Draw: one angle per non-empty example, in example order, <c>deg = min + (max - min) * NextDouble()</c>
/// (Python's random.uniform) from this instance's <c>System.Random(seed)</c>; later Apply calls continue the
/// stream, so two instances with equal seeds give equal results call for call. Rotation: PyG's matrices,
/// applied as <c>p' = M p</c> (LinearTransformation post-multiplies by the transpose), computed in double
/// and rounded once to float: axis 0: y' = c*y + s*z, z' = -s*y + c*z; axis 1: x' = c*x - s*z,
/// z' = s*x + c*z; axis 2: x' = c*x + s*y, y' = -s*x + c*y. For a rotation about all three axes compose
/// three of these, as PyG does.
/// </remarks>
public sealed class RandomRotate : IPointCloudTransform
{
    private readonly SeededRandom _random;

    /// <summary>Angles uniform in [-|degrees|, |degrees|].</summary>
    public RandomRotate(double degrees, int axis = 0, int seed = 0)
        : this((-Math.Abs(degrees), Math.Abs(degrees)), axis, seed)
    {
    }

    /// <summary>Angles uniform in [degrees.Min, degrees.Max].</summary>
    public RandomRotate((double Min, double Max) degrees, int axis = 0, int seed = 0)
    {
        if (!double.IsFinite(degrees.Min) || !double.IsFinite(degrees.Max) || degrees.Min > degrees.Max)
        {
            throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "degrees must be a finite range with min <= max");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(axis);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(axis, 2);
        Degrees = degrees;
        Axis = axis;
        Seed = seed;
        _random = new SeededRandom(seed);
    }

    public (double Min, double Max) Degrees { get; }

    public int Axis { get; }

    public int Seed { get; }

    public PointCloud Apply(PointCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        float[] src = cloud.Positions;
        var dst = new float[src.Length];
        lock (_random.Gate)
        {
            for (int b = 0; b < cloud.BatchCount; b++)
            {
                (int start, int end) = cloud.BatchRange(b);
                if (end > start)
                {
                    double radians = Math.PI * _random.Uniform(Degrees.Min, Degrees.Max) / 180.0;
                    Rotate(src, dst, start, end, Math.Sin(radians), Math.Cos(radians));
                }
            }
        }

        return cloud.WithPositions(dst);
    }

    public override string ToString() =>
        $"RandomRotate(({TransformText.Number(Degrees.Min)}, {TransformText.Number(Degrees.Max)}), axis={TransformText.Number(Axis)}, seed={TransformText.Number(Seed)})";

    private void Rotate(float[] src, float[] dst, int start, int end, double s, double c)
    {
        // (u, v) are the two coordinates that turn; the third is copied.
        (int u, int v, double su, double sv) = Axis switch
        {
            0 => (1, 2, s, -s),
            1 => (0, 2, -s, s),
            _ => (0, 1, s, -s),
        };
        int w = 3 - u - v;
        for (int i = start; i < end; i++)
        {
            double pu = src[(3 * i) + u], pv = src[(3 * i) + v];
            dst[(3 * i) + u] = (float)((c * pu) + (su * pv));
            dst[(3 * i) + v] = (float)((sv * pu) + (c * pv));
            dst[(3 * i) + w] = src[(3 * i) + w];
        }
    }
}
