using System.Diagnostics;
using System.Globalization;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Runtime;

namespace GeoEdge.Inference.Pipelines;

/// <summary>Scores every sensor of a sensor graph for anomalies with a sensor-graph-anomaly bundle, from timestamped readings or a whole raw window.</summary>
/// <remarks>
/// <para>Time grid: sample slot k is the instant k * period after 0001-01-01T00:00 in the readings' clock time
/// (<see cref="DateTimeOffset.Ticks"/>), so slots fall on whole multiples of the period since local midnight, as the
/// recipe's data do; a reading goes to the nearest slot. Each sensor keeps its last <c>window</c> slots in a ring.</para>
/// <para>Missing and late readings: a slot without an accepted reading is missing; the window then carries the recipe's
/// mask channel and forward-filled values, and the result says so per sensor (<see cref="SensorScore.Imputation"/>),
/// never a silent zero. A reading for a slot still inside its sensor's ring is placed there even if it arrives late
/// (a repeated slot is replaced); an older one is refused as <see cref="RejectionReason.TooLate"/>.</para>
/// <para>Readings are refused, with a reason and without an exception, for an unknown sensor, a NaN or infinite value and
/// a value outside the sensor's physical range. Thread-safe; the bundle is not owned.</para>
/// </remarks>
public sealed class SensorGraphAnomaly : IDisposable
{
    private readonly SensorSettings _settings;
    private readonly SensorRing[] _rings;
    private readonly Dictionary<string, int> _index;
    private readonly Lock _gate = new();
    private readonly long _periodTicks;
    private readonly int _input;
    private readonly int _output;
    private readonly SensorOodScore? _ood;
    private readonly double _oodThreshold;

    public SensorGraphAnomaly(ModelBundle bundle, SensorGraphAnomalyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        _settings = SensorSettings.Read(bundle.Manifest);
        var fields = new ManifestFields(bundle.Manifest);
        if (bundle.Manifest.Inputs.Count != 1 || bundle.Manifest.Outputs.Count < 1)
        {
            fields.Fail("$.inputs", "the pipeline feeds exactly one input, the window tensor");
        }

        string input = bundle.Manifest.Inputs[0].Name;
        string output = bundle.Manifest.Outputs[0].Name;
        int sensors = _settings.Sensors.Length;
        var sensorNames = new string[sensors];
        for (int s = 0; s < sensors; s++)
        {
            sensorNames[s] = _settings.Sensors[s].Name;
        }

        // Checked before the session loads, so a bad section leaves nothing to dispose.
        string[] features = SensorDriftFeatures.Names(sensorNames);
        (_ood, _oodThreshold) = ReadOod(bundle.Manifest, features, fields);
        long[] shape = [1, sensors, _settings.Window, _settings.Channels.Length];
        Session = PipelineSession.Load(bundle, options?.Session, new Dictionary<string, long[]>(StringComparer.Ordinal) { [input] = shape });
        try
        {
            _input = PipelineSession.Require(bundle, Session.Inputs, input, shape);
            _output = PipelineSession.Require(bundle, Session.Outputs, output, [1, sensors]);
        }
        catch
        {
            Session.Dispose();
            throw;
        }

        Drift = DriftMonitor.Create(bundle.Manifest.Drift, features);
        _periodTicks = _settings.PeriodSeconds * TimeSpan.TicksPerSecond;
        _rings = new SensorRing[sensors];
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int s = 0; s < sensors; s++)
        {
            _rings[s] = new SensorRing(_settings.Window);
            _index[_settings.Sensors[s].Name] = s;
        }
    }

    /// <summary>The session the pipeline runs (owned by the pipeline).</summary>
    public ModelSession Session { get; }

    public int Window => _settings.Window;

    /// <summary>Scores the scored windows' <see cref="SensorDriftFeatures"/> against the bundle's <c>drift</c> reference; null
    /// when the bundle has none. Every successfully scored window records into it.</summary>
    public DriftMonitor? Drift { get; }

    /// <summary>The manifest's per-window OOD score (its <c>ood</c> section over its <c>drift</c> reference); null when the
    /// bundle has no <c>ood</c> section, and then no result carries a verdict.</summary>
    public SensorOodScore? Ood => _ood;

    /// <summary>The manifest's <c>ood.threshold</c>; NaN without an <see cref="Ood"/> score.</summary>
    public double OodThreshold => _ood is null ? double.NaN : _oodThreshold;

    public TimeSpan SamplingPeriod => TimeSpan.FromSeconds(_settings.PeriodSeconds);

    public int SensorCount => _settings.Sensors.Length;

    public string SensorName(int sensor) => _settings.Sensors[sensor].Name;

    /// <summary>The tensor index of sensor <paramref name="name"/>, or -1.</summary>
    public int SensorIndex(string name) => _index.TryGetValue(name, out int s) ? s : -1;

    /// <summary>Adds one reading; returns <see cref="RejectionReason.None"/> when it was accepted, else why not.</summary>
    public RejectionReason Add(string sensor, DateTimeOffset time, float value) => Add(SensorIndex(sensor), time, value);

    public RejectionReason Add(int sensor, DateTimeOffset time, float value)
    {
        if ((uint)sensor >= (uint)_rings.Length)
        {
            return RejectionReason.UnknownSensor;
        }

        RejectionReason check = CheckValue(sensor, value);
        if (check != RejectionReason.None)
        {
            return check;
        }

        lock (_gate)
        {
            return _rings[sensor].Add(Slot(time), value);
        }
    }

    /// <summary>Scores the window of the last <see cref="Window"/> slots ending at the slot of <paramref name="windowEnd"/>.</summary>
    public PipelineResult<SensorWindowScores> Score(DateTimeOffset windowEnd)
    {
        long t0 = Stopwatch.GetTimestamp();
        int w = _settings.Window;
        long endSlot = Slot(windowEnd);
        var raw = new float[_rings.Length * w];
        lock (_gate)
        {
            for (int s = 0; s < _rings.Length; s++)
            {
                _rings[s].Read(endSlot, raw.AsSpan(s * w, w));
            }
        }

        return Run(raw, endSlot - w + 1, windowEnd.Offset, new int[_rings.Length], t0);
    }

    /// <summary>Scores a whole raw window, row-major [sensor, time] in physical units with NaN for missing samples, whose first sample is at <paramref name="windowStart"/>.</summary>
    /// <remarks>Non-finite or out-of-range samples are treated as missing and counted in <see cref="SensorScore.RejectedSamples"/>.</remarks>
    public PipelineResult<SensorWindowScores> ScoreWindow(ReadOnlySpan<float> raw, DateTimeOffset windowStart)
    {
        long t0 = Stopwatch.GetTimestamp();
        int w = _settings.Window;
        if (raw.Length != _rings.Length * w)
        {
            return PipelineResult<SensorWindowScores>.Rejected(RejectionReason.WrongShape, string.Create(CultureInfo.InvariantCulture,
                $"{raw.Length} samples; the model takes {_rings.Length} sensors x {w} samples = {_rings.Length * w}"));
        }

        float[] window = Accepted(raw, out int[] rejected);
        return Run(window, Slot(windowStart), windowStart.Offset, rejected, t0);
    }

    /// <summary>Writes the model input [sensor, time, channel] that <see cref="ScoreWindow"/> would run for this window, without running it.</summary>
    /// <remarks>For tools that need the encoded inputs themselves (a quantizer's calibration set); the same rejection of
    /// non-finite and out-of-range samples and the same encoding as the device applies.</remarks>
    public void Encode(ReadOnlySpan<float> raw, DateTimeOffset windowStart, Span<float> x)
    {
        int w = _settings.Window, n = _rings.Length * w * _settings.Channels.Length;
        if (raw.Length != _rings.Length * w || x.Length != n)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"raw has {raw.Length} samples and x {x.Length} values; the model takes {_rings.Length} x {w} samples and {n} input values"));
        }

        float[] window = Accepted(raw, out _);
        SensorWindowEncoder.Encode(_settings, window, Slot(windowStart), x, new int[_rings.Length], new SensorImputation[_rings.Length]);
    }

    /// <summary>Forgets every reading (e.g. before replaying another period).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (SensorRing ring in _rings)
            {
                ring.Clear();
            }
        }
    }

    public void Dispose() => Session.Dispose();

    private PipelineResult<SensorWindowScores> Run(float[] raw, long startSlot, TimeSpan offset, int[] rejected, long t0)
    {
        int sensors = _rings.Length;
        var missing = new int[sensors];
        var imputation = new SensorImputation[sensors];
        long t1 = Stopwatch.GetTimestamp();
        using InferenceLease lease = Session.Rent();
        SensorWindowEncoder.Encode(_settings, raw, startSlot, lease.Input<float>(_input), missing, imputation);
        long t2 = Stopwatch.GetTimestamp();
        lease.Run();
        long t3 = Stopwatch.GetTimestamp();
        ReadOnlySpan<float> scores = lease.Output<float>(_output);
        var results = new SensorScore[sensors];
        for (int s = 0; s < sensors; s++)
        {
            SensorSpec spec = _settings.Sensors[s];
            (double mean, double std) = SensorDriftFeatures.WindowStatistics(raw.AsSpan(s * _settings.Window, _settings.Window));
            results[s] = new SensorScore(s, spec.Name, scores[s], spec.Threshold, scores[s] > spec.Threshold, missing[s], imputation[s], rejected[s])
            {
                WindowMean = mean,
                WindowStd = std,
            };
        }

        SensorOodVerdict? verdict = null;
        if (Drift is not null || _ood is not null)
        {
            int count = SensorDriftFeatures.Count(sensors);
            Span<double> features = count <= 1024 ? stackalloc double[count] : new double[count];
            SensorDriftFeatures.Measure(results, _settings.Window, features);
            Drift?.Record(features);
            if (_ood is { } ood)
            {
                double value = ood.Compute(features);
                verdict = new SensorOodVerdict(ood.Name, value, _oodThreshold, value > _oodThreshold);
            }
        }

        long t4 = Stopwatch.GetTimestamp();
        var start = new DateTimeOffset(startSlot * _periodTicks, offset);
        return PipelineResult<SensorWindowScores>.Success(new SensorWindowScores(start, results, new SensorTimings(Us(t0, t1), Us(t1, t2), Us(t2, t3), Us(t3, t4))) { Ood = verdict });
    }

    /// <summary>The manifest's OOD score and threshold: (null, NaN) without an <c>ood</c> section; a section that names
    /// another score, or one without the <c>drift</c> reference it standardizes against, is a configuration error.</summary>
    private static (SensorOodScore?, double) ReadOod(BundleManifest manifest, string[] features, ManifestFields fields)
    {
        if (manifest.Ood is not { } ood)
        {
            return (null, double.NaN);
        }

        if (!SensorOodScore.IsKnown(ood.Score))
        {
            fields.Fail("$.ood.score", $"'{ood.Score}' is not a sensor OOD score ({SensorOodScore.DriftMax}, {SensorOodScore.DriftRms})");
        }

        SensorOodScore? score = manifest.Drift is { } drift ? SensorOodScore.Create(ood.Score, drift, features) : null;
        if (score is null)
        {
            fields.Fail("$.ood", "the sensor OOD score standardizes a window's features against the drift section, which is missing or names none of them");
        }

        return (score, ood.Threshold);
    }

    /// <summary>A copy of the window with non-finite and out-of-range samples made missing, counted per sensor.</summary>
    private float[] Accepted(ReadOnlySpan<float> raw, out int[] rejected)
    {
        int w = _settings.Window;
        float[] window = raw.ToArray();
        rejected = new int[_rings.Length];
        for (int i = 0; i < window.Length; i++)
        {
            if (!float.IsNaN(window[i]) && CheckValue(i / w, window[i]) != RejectionReason.None)
            {
                window[i] = float.NaN;
                rejected[i / w]++;
            }
        }

        return window;
    }

    private RejectionReason CheckValue(int sensor, float value)
    {
        if (!float.IsFinite(value))
        {
            return RejectionReason.NonFiniteValue;
        }

        SensorSpec spec = _settings.Sensors[sensor];
        return value < spec.Min || value > spec.Max ? RejectionReason.ValueOutOfRange : RejectionReason.None;
    }

    // Nearest grid slot of the reading's clock time.
    private long Slot(DateTimeOffset time) => (time.Ticks + (_periodTicks / 2)) / _periodTicks;

    private static double Us(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMicroseconds;
}
