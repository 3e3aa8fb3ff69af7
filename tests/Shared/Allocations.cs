namespace GeoEdge.Testing;

/// <summary>Heap bytes a round of calls allocates on the test thread, the least over several rounds (linked into every
/// test project that asserts on allocation).</summary>
/// <remarks>
/// The runtime sometimes allocates on the test thread once, on its own account: a tiered-JIT or OSR compile landing mid-round,
/// a lazily created runtime object (8,200 B once in a fresh-clone CI run). Taking the least round forgives that one-off, while
/// an allocation the code under test makes per call shows in every round, so the least round still counts it and a
/// zero-allocation assertion still fails for it.
/// </remarks>
internal static class Allocations
{
    /// <summary>The rounds the allocation tests run: one more than a one-off needs, should two land in separate rounds.</summary>
    public const int Rounds = 3;

    /// <summary>Runs <paramref name="round"/> <paramref name="rounds"/> times and returns the fewest bytes
    /// <see cref="GC.GetAllocatedBytesForCurrentThread"/> counted across any one of them.</summary>
    /// <remarks>A per-call allocation is in every round, so it is in the result; only an allocation missing from at
    /// least one round (a one-off) is not. The delegate is created by the caller before the first round, so its closure
    /// is not counted; invoking it allocates nothing.</remarks>
    public static long LeastPerRound(int rounds, Action round)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentNullException.ThrowIfNull(round);
        long least = long.MaxValue;
        for (int i = 0; i < rounds; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            round();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
