namespace GeoEdge.Fleet.Contracts;

/// <summary>GET /v1/devices/{id}/desired: what the fleet wants this device to run; the ETag is "&lt;DesiredVersion&gt;".</summary>
/// <param name="DesiredVersion">Monotonic per device; a device ignores any desired state older than the last it acted on.</param>
/// <param name="PollAfterSeconds">The server's suggested polling interval (the device adds jitter).</param>
/// <param name="Assignment">The one model change asked of the device, or null when nothing is to change.</param>
public sealed record DesiredState(long DesiredVersion, int PollAfterSeconds, Assignment? Assignment);

/// <summary>One model version the device is to download and activate, as part of a rollout stage.</summary>
/// <param name="ActionId">Id of this action; statuses are posted against it.</param>
/// <param name="RolloutId">The rollout that made the assignment.</param>
/// <param name="Stage">The rollout stage's name.</param>
/// <param name="ModelName">Model name (bundle manifest name).</param>
/// <param name="Version">Target version (semantic version).</param>
/// <param name="Bundle">Where and what the bundle is.</param>
/// <param name="Download">"attempt" (may defer, e.g. metered link) or "forced".</param>
/// <param name="Activate">"attempt" (inside the maintenance window only) or "forced".</param>
/// <param name="MaintenanceWindow">When activation is allowed; null = any time.</param>
public sealed record Assignment(
    string ActionId,
    string RolloutId,
    string Stage,
    string ModelName,
    string Version,
    BundleReference Bundle,
    string Download,
    string Activate,
    MaintenanceWindow? MaintenanceWindow);

/// <summary>A content-addressed bundle: the device downloads it from Url and checks Size, Sha256 and the manifest signature.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the .geob file; also its strong ETag.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Url">Path on the fleet server (/v1/bundles/{sha256}).</param>
/// <param name="Signature">Base64 ECDSA P-256 signature over the bundle's manifest (as in manifest.sig).</param>
/// <param name="KeyId">The signing key's id, which the device must trust.</param>
public sealed record BundleReference(string Sha256, long Size, string Url, string Signature, string KeyId);

/// <summary>A daily window, in UTC, during which an "attempt" activation may run (Start &gt; End wraps midnight).</summary>
/// <param name="StartUtc">"HH:mm".</param>
/// <param name="EndUtc">"HH:mm".</param>
/// <remarks>The server refuses a window that is malformed or has Start == End when a rollout is created; a device still
/// reads Start == End as the whole day, and rejects an assignment whose window <see cref="Problem"/> names.</remarks>
public sealed record MaintenanceWindow(string StartUtc, string EndUtc)
{
    /// <summary>Whether <paramref name="instant"/> (taken in UTC) falls in the window: Start inclusive, End exclusive;
    /// Start &gt; End wraps midnight (22:00–04:00 holds 23:30 and 03:59); Start == End is the whole day.</summary>
    /// <exception cref="FormatException">StartUtc or EndUtc is not "HH:mm" (the message is <see cref="Problem"/>).</exception>
    public bool Contains(DateTimeOffset instant)
    {
        if (Problem() is { } problem)
        {
            throw new FormatException(problem);
        }

        TimeOnly start = Parse(StartUtc)!.Value;
        TimeOnly end = Parse(EndUtc)!.Value;
        var now = TimeOnly.FromTimeSpan(instant.UtcDateTime.TimeOfDay);
        if (start == end)
        {
            return true;
        }

        return start < end ? now >= start && now < end : now >= start || now < end;
    }

    /// <summary>Why the window cannot be used ("maintenance window StartUtc '25:00' is not HH:mm (UTC)"), or null when
    /// both times are "HH:mm". A wire value may be null despite the type: that is malformed too.</summary>
    public string? Problem() =>
        !IsTime(StartUtc) ? Malformed(nameof(StartUtc), StartUtc)
        : !IsTime(EndUtc) ? Malformed(nameof(EndUtc), EndUtc)
        : null;

    /// <summary>True for a 24-hour "HH:mm" time of day (00:00 to 23:59).</summary>
    public static bool IsTime(string? value) => Parse(value) is not null;

    private static string Malformed(string field, string? value) => $"maintenance window {field} '{value}' is not HH:mm (UTC)";

    private static TimeOnly? Parse(string? value) =>
        value is not null && TimeOnly.TryParseExact(value, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out TimeOnly t)
            ? t
            : null;
}

/// <summary>The values of <see cref="Assignment.Download"/> and <see cref="Assignment.Activate"/>.</summary>
public static class AssignmentMode
{
    /// <summary>The device may defer (download on a metered link, activate outside the window).</summary>
    public const string Attempt = "attempt";

    /// <summary>The device does it now.</summary>
    public const string Forced = "forced";
}
