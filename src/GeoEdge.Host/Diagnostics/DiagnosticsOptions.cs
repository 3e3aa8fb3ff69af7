namespace GeoEdge.Host.Diagnostics;

/// <summary>The "diagnostics" section of the device config, plus limits that have defaults there.</summary>
public sealed class DiagnosticsOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>http://IP:port to listen on; loopback by default because the API can switch models.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8470";

    /// <summary>Bearer token file, relative to the state directory; created (0600, 32 random bytes as hex) when missing.</summary>
    public string TokenFile { get; set; } = "diagnostics.token";

    /// <summary>Largest request body accepted (POST /api/v1/infer carries whole clouds).</summary>
    public long MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Comment line sent on an idle event stream so proxies and browsers keep it open.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A pipeline is late (not ready) when its last tick is older than this many expected periods.</summary>
    public double ReadinessPeriods { get; set; } = 3;
}
