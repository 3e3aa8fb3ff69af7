using GeoEdge.Testing;
using Xunit.Sdk;

namespace GeoEdge.Geometry.Tests.Testing;

/// <summary>The shared least-of-N-rounds allocation counter (tests/Shared/Allocations.cs): a per-call allocation still
/// counts, a one-off does not.</summary>
[Trait("Category", "Unit")]
public sealed class AllocationsTests
{
    [Fact]
    public void A_round_that_allocates_an_array_every_time_counts_it_and_fails_a_zero_assertion()
    {
        byte[]? kept = null;

        long least = Allocations.LeastPerRound(Allocations.Rounds, () => kept = new byte[1000]);

        // 1,000 elements and the 24-byte array header of a 64-bit runtime; kept escapes, so the JIT cannot put it on the stack.
        Assert.Equal(1024, least);
        Assert.Throws<EqualException>(() => Assert.Equal(0, Allocations.LeastPerRound(Allocations.Rounds, () => kept = new byte[1000])));
        Assert.Equal(1000, kept!.Length);
    }

    [Fact]
    public void Allocations_in_a_loop_within_a_round_add_up()
    {
        object? kept = null;

        long least = Allocations.LeastPerRound(2, () =>
        {
            for (int i = 0; i < 10; i++)
            {
                kept = new object();
            }
        });

        Assert.Equal(10 * 24, least); // an empty object is 24 bytes on a 64-bit runtime
        Assert.NotNull(kept);
    }

    [Fact]
    public void An_allocation_missing_from_one_round_is_a_one_off_and_does_not_count()
    {
        int calls = 0;
        byte[]? kept = null;

        // Rounds 0 and 2 allocate, round 1 does not: the least round is the clean one wherever it falls.
        long least = Allocations.LeastPerRound(3, () =>
        {
            if (calls++ != 1)
            {
                kept = new byte[1000];
            }
        });

        Assert.Equal(0, least);
        Assert.Equal(3, calls);
        Assert.NotNull(kept);
    }

    [Fact]
    public void Fewer_than_one_round_is_a_programmer_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>("rounds", () => Allocations.LeastPerRound(0, () => { }));
        Assert.Throws<ArgumentNullException>("round", () => Allocations.LeastPerRound(1, null!));
    }
}
