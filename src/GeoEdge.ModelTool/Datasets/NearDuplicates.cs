using System.Security.Cryptography;
using System.Runtime.InteropServices;
using GeoEdge.Geometry.IO;

namespace GeoEdge.ModelTool.Datasets;

/// <summary>A test cloud whose fingerprint equals a training cloud's.</summary>
public sealed record NearDuplicate(int TestIndex, int TrainIndex);

/// <summary>Finds test clouds that are near-duplicates of training clouds: same points after quantising to a grid, in any order.</summary>
/// <remarks>Fingerprint: each coordinate rounded to a multiple of <c>quantum</c>, the integer triples sorted, SHA-256 of
/// the sorted triples. Reordered points and noise well below the quantum give the same fingerprint; noise that moves a
/// coordinate across a rounding boundary does not, so this catches copies and reshuffles, not every perturbed copy.
/// Used by `evaluate` to warn, not refuse.</remarks>
public static class NearDuplicates
{
    public const double DefaultQuantum = 1e-3;

    /// <summary>Every (test, train) pair with equal fingerprints; <paramref name="train"/> and <paramref name="test"/> are pos arrays [N,P,3] float32.</summary>
    public static List<NearDuplicate> Find(NpyArray train, NpyArray test, double quantum = DefaultQuantum)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] trainPrints = Fingerprints(train, quantum, "train");
        for (int i = 0; i < trainPrints.Length; i++)
        {
            seen.TryAdd(trainPrints[i], i);
        }

        var found = new List<NearDuplicate>();
        string[] testPrints = Fingerprints(test, quantum, "test");
        for (int i = 0; i < testPrints.Length; i++)
        {
            if (seen.TryGetValue(testPrints[i], out int j))
            {
                found.Add(new NearDuplicate(i, j));
            }
        }

        return found;
    }

    /// <summary>The fingerprint of each cloud of a pos array [N,P,3] float32.</summary>
    public static string[] Fingerprints(NpyArray clouds, double quantum, string what)
    {
        ArgumentNullException.ThrowIfNull(clouds);
        if (clouds.DType != NpyDType.Float32 || clouds.Shape is not [_, _, 3])
        {
            throw new FormatException($"{what}: expected pos [N,P,3] float32, got {clouds.DType} [{string.Join(",", clouds.Shape)}]");
        }

        if (!(quantum > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(quantum), quantum, "the quantum must be positive");
        }

        int n = clouds.Shape[0];
        int points = clouds.Shape[1];
        ReadOnlySpan<float> all = clouds.AsSpan<float>();
        var prints = new string[n];
        var cells = new (long X, long Y, long Z)[points];
        var flat = new long[points * 3];
        for (int c = 0; c < n; c++)
        {
            ReadOnlySpan<float> cloud = all.Slice(c * points * 3, points * 3);
            for (int p = 0; p < points; p++)
            {
                cells[p] = (Cell(cloud[3 * p], quantum), Cell(cloud[(3 * p) + 1], quantum), Cell(cloud[(3 * p) + 2], quantum));
            }

            Array.Sort(cells);

            // Hash explicit little-endian longs, not the tuple's in-memory layout, so prints agree across runtimes.
            for (int p = 0; p < points; p++)
            {
                flat[3 * p] = cells[p].X;
                flat[(3 * p) + 1] = cells[p].Y;
                flat[(3 * p) + 2] = cells[p].Z;
            }

            prints[c] = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(flat.AsSpan())));
        }

        return prints;
    }

    private static long Cell(float v, double quantum) =>
        float.IsFinite(v) ? (long)Math.Round(v / quantum, MidpointRounding.ToEven) : throw new FormatException($"non-finite coordinate {v}");
}
