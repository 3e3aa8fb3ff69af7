using System.Security.Cryptography;
using System.Text;
using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Rollouts;

/// <summary>Splits a rollout's targeted devices into its stages: a stable order (SHA-256 of rolloutId/deviceId) so
/// every replica computes the same split, and stage sizes from percent (rounded up) or count, the last stage taking the rest.</summary>
public static class StageSplit
{
    /// <summary>The devices of each stage, in stage order; each device in exactly one stage.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Split(string rolloutId, IReadOnlyCollection<string> deviceIds, IReadOnlyList<StageSpec> stages)
    {
        ArgumentNullException.ThrowIfNull(deviceIds);
        ArgumentNullException.ThrowIfNull(stages);
        string[] ordered = Order(rolloutId, deviceIds);
        int total = ordered.Length;
        var result = new IReadOnlyList<string>[stages.Count];
        int taken = 0;
        for (int i = 0; i < stages.Count; i++)
        {
            int size = i == stages.Count - 1 ? total - taken : Math.Min(SizeOf(stages[i], total), total - taken);
            result[i] = ordered.AsSpan(taken, size).ToArray();
            taken += size;
        }

        return result;
    }

    /// <summary>Devices in the rollout's stable order.</summary>
    public static string[] Order(string rolloutId, IReadOnlyCollection<string> deviceIds)
    {
        ArgumentNullException.ThrowIfNull(deviceIds);
        var keyed = new List<(string Key, string Device)>(deviceIds.Count);
        foreach (string device in deviceIds.Distinct(StringComparer.Ordinal))
        {
            keyed.Add((Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{rolloutId}/{device}"))), device));
        }

        keyed.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return keyed.ConvertAll(k => k.Device).ToArray();
    }

    // Rounded up so a 10 % canary of 3 devices is one device, not none.
    private static int SizeOf(StageSpec stage, int total) =>
        stage.Count ?? (int)Math.Ceiling(stage.Percent.GetValueOrDefault() * total / 100.0 - 1e-9);
}
