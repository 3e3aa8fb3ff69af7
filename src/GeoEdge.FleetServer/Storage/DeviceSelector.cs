using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Storage;

/// <summary>Decides whether a device matches a rollout's <see cref="TargetSelector"/>: every given attribute equal, every
/// given tag present, and (when ids are given) the id among them.</summary>
public static class DeviceSelector
{
    /// <summary>True when <paramref name="device"/> matches <paramref name="selector"/>; an empty selector matches all.</summary>
    public static bool Matches(DeviceRecord device, TargetSelector selector)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(selector);
        if (selector.DeviceIds is { Count: > 0 } ids && !ids.Contains(device.DeviceId))
        {
            return false;
        }

        if (selector.Attributes is { } attributes)
        {
            foreach ((string name, string value) in attributes)
            {
                if (!device.Attributes.TryGetValue(name, out string? actual) || !string.Equals(actual, value, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        if (selector.Tags is { } tags)
        {
            foreach (string tag in tags)
            {
                if (!device.Tags.Contains(tag))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
