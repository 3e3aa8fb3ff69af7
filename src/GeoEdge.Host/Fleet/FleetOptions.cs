using System.ComponentModel.DataAnnotations;

namespace GeoEdge.Host.Fleet;

/// <summary>The "fleet" section of the device config: where the fleet server is and how the agent talks to it.</summary>
public sealed class FleetOptions
{
    /// <summary>Base URL of the fleet server's device API (http:// only where TLS ends in front of it).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ServerUrl { get; set; } = string.Empty;

    /// <summary>The fleet-scoped enrollment token; used once, on the first start.</summary>
    public string? EnrollmentToken { get; set; }

    /// <summary>A file holding the enrollment token (kept out of the config, e.g. provisioned at flash time).</summary>
    public string? EnrollmentTokenFile { get; set; }

    /// <summary>The hardware id sent at enrollment; default: /etc/machine-id.</summary>
    public string? HwId { get; set; }

    /// <summary>Polling interval until the server suggests one (the agent adds jitter).</summary>
    [Range(1, 86_400)]
    public int PollSeconds { get; set; } = 60;

    /// <summary>Length of one metrics window per model version.</summary>
    [Range(1, 86_400)]
    public int MetricsWindowSeconds { get; set; } = 60;

    /// <summary>Closed windows kept on disk while the server is unreachable; the oldest are dropped (and counted) beyond this.</summary>
    [Range(1, 1_000_000)]
    public int MetricsQueueMaxWindows { get; set; } = 10_080;

    /// <summary>Where POST /v1/enroll goes when it is not <see cref="ServerUrl"/>: the fleet server's API port, when
    /// serverUrl is its mutual-TLS device port (which refuses a device without the certificate enrollment issues).</summary>
    public string? EnrollUrl { get; set; }

    /// <summary>Present the enrolled certificate (mutual TLS) on an https serverUrl; request signatures are sent either way.</summary>
    public bool UseClientCertificate { get; set; }

    /// <summary>Attributes sent at enrollment and in reports (rollout selectors match them).</summary>
    public Dictionary<string, string> Attributes { get; set; } = [];

    /// <summary>Tags sent at enrollment (rollout selectors match them).</summary>
    public List<string> Tags { get; set; } = [];
}
