namespace GeoEdge.Geometry.Transforms;

/// <summary>The random stream of one transform instance: System.Random(seed) plus Box-Muller normals.</summary>
/// <remarks>
/// System.Random with an explicit seed uses its legacy algorithm, which .NET keeps stable across versions,
/// so a seed names the same stream everywhere. Callers hold <see cref="Gate"/> for a whole Apply so that
/// concurrent calls each get a contiguous run of draws.
/// </remarks>
internal sealed class SeededRandom(int seed)
{
    private readonly Random _random = new(seed);
    private double _spare;
    private bool _hasSpare;

    public object Gate => _random;

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => _random.NextDouble();

    /// <summary>Uniform integer in [0, max).</summary>
    public int Next(int max) => _random.Next(max);

    /// <summary>Python's random.uniform: a + (b - a) * u with u uniform in [0, 1).</summary>
    public double Uniform(double a, double b) => a + ((b - a) * _random.NextDouble());

    /// <summary>Standard normal by Box-Muller: u1 = 1 - NextDouble() (never 0), u2 = NextDouble(), returns r*cos(2*pi*u2) and keeps r*sin(2*pi*u2) for the next call.</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        double u1 = 1.0 - _random.NextDouble();
        double u2 = _random.NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = r * Math.Sin(2.0 * Math.PI * u2);
        _hasSpare = true;
        return r * Math.Cos(2.0 * Math.PI * u2);
    }
}
