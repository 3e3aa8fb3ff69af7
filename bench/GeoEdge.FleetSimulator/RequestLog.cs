using System.Diagnostics;

namespace GeoEdge.FleetSimulator;

/// <summary>Every device request of the run, as the client saw it: kind, when it started, how long until the response
/// headers arrived, and its status (0 = no answer); plus each bundle transfer's bytes and time to the last byte.</summary>
/// <remarks>Shared by all simulated devices; appends take a lock (a few hundred a second, nothing next to a request).</remarks>
internal sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<RequestSample> _requests = [];
    private readonly List<TransferSample> _transfers = [];
    private readonly long _origin = Stopwatch.GetTimestamp();

    /// <summary>Seconds since the log was created (the run's clock for every sample).</summary>
    public double Now => Stopwatch.GetElapsedTime(_origin).TotalSeconds;

    public void Add(RequestSample sample)
    {
        lock (_gate)
        {
            _requests.Add(sample);
        }
    }

    public void Add(TransferSample sample)
    {
        lock (_gate)
        {
            _transfers.Add(sample);
        }
    }

    public List<RequestSample> Requests()
    {
        lock (_gate)
        {
            return [.. _requests];
        }
    }

    public List<TransferSample> Transfers()
    {
        lock (_gate)
        {
            return [.. _transfers];
        }
    }
}

/// <summary>One request: kind, the device's index, start (run seconds), latency to the response headers (ms), HTTP status (0 = no answer).</summary>
internal readonly record struct RequestSample(RequestKind Kind, int Device, double Start, double LatencyMs, int Status)
{
    public bool Failed => Status is 0 or 429 or >= 500;
}

/// <summary>One bundle body read to its end: bytes and seconds from sending the request to the last byte.</summary>
internal readonly record struct TransferSample(long Bytes, double Start, double Seconds);
