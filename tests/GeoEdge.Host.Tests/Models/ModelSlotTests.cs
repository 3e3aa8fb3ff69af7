using GeoEdge.Host.Models;

namespace GeoEdge.Host.Tests.Models;

[Trait("Category", "Unit")]
public sealed class ModelSlotTests
{
    [Fact]
    public void An_empty_slot_has_nothing_to_lease()
    {
        using var slot = new ModelSlot<CountedDisposable>("m");
        Assert.False(slot.TryAcquire(out _));
        Assert.Throws<InvalidOperationException>(() => slot.Acquire());
        Assert.Null(slot.Version);
    }

    [Fact]
    public void Swap_leaves_a_held_pipeline_alive_until_its_lease_returns()
    {
        var first = new CountedDisposable();
        var second = new CountedDisposable();
        using var slot = new ModelSlot<CountedDisposable>("m");
        Assert.Null(slot.Swap(first, "1.0.0"));
        ModelLease<CountedDisposable> held = slot.Acquire();

        Assert.Equal("1.0.0", slot.Swap(second, "2.0.0"));
        Assert.Equal(0, first.Disposals);
        using (ModelLease<CountedDisposable> fresh = slot.Acquire())
        {
            Assert.Same(second, fresh.Pipeline);
            Assert.Equal("2.0.0", fresh.Version);
        }

        Assert.Same(first, held.Pipeline);
        Assert.Equal("1.0.0", held.Version);
        held.Dispose();
        Assert.Equal(1, first.Disposals);
        Assert.Equal(0, second.Disposals);
    }

    [Fact]
    public void An_unleased_pipeline_is_disposed_at_swap_and_the_last_at_slot_dispose()
    {
        var first = new CountedDisposable();
        var second = new CountedDisposable();
        var slot = new ModelSlot<CountedDisposable>("m");
        slot.Swap(first, "1.0.0");
        slot.Swap(second, "2.0.0");
        Assert.Equal(1, first.Disposals);
        slot.Dispose();
        Assert.Equal(1, second.Disposals);
        Assert.True(slot.IsEmpty);
    }

    [Fact]
    public void Acquire_allocates_nothing()
    {
        using var slot = new ModelSlot<CountedDisposable>("m");
        slot.Swap(new CountedDisposable(), "1.0.0");
        slot.Acquire().Dispose();
        long allocated = Allocations.LeastPerRound(Allocations.Rounds, () =>
        {
            for (int i = 0; i < 1000; i++)
            {
                using ModelLease<CountedDisposable> lease = slot.Acquire();
            }
        });

        Assert.Equal(0, allocated);
    }

    /// <summary>A pipeline stand-in that only counts how often it was disposed.</summary>
    private sealed class CountedDisposable : IDisposable
    {
        private int _disposals;

        public int Disposals => Volatile.Read(ref _disposals);

        public void Dispose() => Interlocked.Increment(ref _disposals);
    }
}
