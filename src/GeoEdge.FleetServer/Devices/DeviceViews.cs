using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetServer.Devices;

/// <summary>Derives the operator's view of a device: offline by last_seen, otherwise failed / updating / online by its report.</summary>
public static class DeviceViews
{
    /// <summary>The status word: offline, failed (the current desired version failed), updating (not converged), online.</summary>
    public static string Status(DeviceRecord device, DateTimeOffset now, TimeSpan offlineAfter)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.LastSeen is not { } seen || now - seen > offlineAfter)
        {
            return "offline";
        }

        if (device.Reported is { } r && r.LastDesiredVersion == device.DesiredVersion && r.LastDesiredStatus.Code >= 400)
        {
            return "failed";
        }

        // Desired version 0 = never assigned: nothing to converge to.
        return device.DesiredVersion > 0 && !device.IsConverged ? "updating" : "online";
    }

    /// <summary>The wire view.</summary>
    public static DeviceView From(DeviceRecord device, DateTimeOffset now, TimeSpan offlineAfter)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new DeviceView(device.DeviceId, device.HwId, device.Board, Status(device, now, offlineAfter), device.Reported?.Models ?? [],
            device.DesiredVersion, device.Reported?.LastDesiredVersion ?? 0, device.LastSeen,
            device.DesiredVersion == 0 || device.IsConverged);
    }
}
