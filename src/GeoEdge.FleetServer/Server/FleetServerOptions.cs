using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace GeoEdge.FleetServer.Server;

/// <summary>The fleet server's settings (the "fleet" section of its options file, or the serve command's flags).</summary>
public sealed class FleetServerOptions
{
    /// <summary>Where the server keeps its SQLite file, CA key and certificate, bundle blobs and bootstrap token.</summary>
    [Required]
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>PostgreSQL (Npgsql connection string) instead of the embedded SQLite file; what several replicas share.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Plain-HTTP listen URLs of the operator API and of signature-authenticated device calls ("http://IP:port",
    /// ';'-separated; port 0 picks a free one).</summary>
    [Required]
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The mutual-TLS device port ("https://IP:port"); null = no device port (devices sign their requests).</summary>
    public string? DeviceUrl { get; set; }

    /// <summary>DNS names and IPs the device port's certificate is valid for (the host name, localhost and 127.0.0.1 are always added).</summary>
    public List<string> DeviceTlsNames { get; set; } = [];

    /// <summary>Public keys (PEM files) bundle uploads must be signed with.</summary>
    public List<string> TrustedKeyFiles { get; set; } = [];

    /// <summary>Polling interval suggested to devices.</summary>
    [Range(1, 86400)]
    public int PollAfterSeconds { get; set; } = 30;

    /// <summary>A device polling desired state more often than this gets 429 + Retry-After.</summary>
    [Range(0, 3600)]
    public int MinPollIntervalSeconds { get; set; } = 5;

    /// <summary>A device not seen for this long shows as offline.</summary>
    [Range(1, 604800)]
    public int OfflineAfterSeconds { get; set; } = 120;

    /// <summary>Allowed clock difference of request-signature timestamps.</summary>
    [Range(1, 3600)]
    public int SignatureSkewSeconds { get; set; } = 300;

    /// <summary>Largest bundle upload.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxBundleBytes { get; set; } = 1L << 30;

    /// <summary>Largest body of a signed device request (buffered to be hashed).</summary>
    [Range(1024, 1L << 30)]
    public long MaxSignedBodyBytes { get; set; } = 8L << 20;
}

/// <summary>Checks <see cref="FleetServerOptions"/> at start (source-generated, no reflection).</summary>
[OptionsValidator]
public sealed partial class FleetServerOptionsValidator : IValidateOptions<FleetServerOptions>
{
}
