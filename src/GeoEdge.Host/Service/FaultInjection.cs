namespace GeoEdge.Host.Service;

/// <summary>Faults the fault tests inject into a real service process through its environment (Mender-style fault tables).</summary>
/// <remarks>Read once at start; unset in production. They exist so a test can make a real process misbehave in one
/// chosen way and check what systemd (or the next start) would see.</remarks>
internal static class FaultInjection
{
    /// <summary>GEOEDGE_FAULT_HANG_PIPELINE=NAME: pipeline NAME blocks forever after its first result (a stuck inference).</summary>
    public static string? HangPipeline { get; } = Environment.GetEnvironmentVariable("GEOEDGE_FAULT_HANG_PIPELINE");
}
