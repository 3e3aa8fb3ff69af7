using Microsoft.Extensions.Time.Testing;

namespace GeoEdge.Sensors.Tests;

/// <summary>A <see cref="FakeTimeProvider"/> that counts the timers created on it, so a test knows when a source is waiting.</summary>
internal sealed class CountingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _timers;

    public int TimersCreated => Volatile.Read(ref _timers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timers);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}

/// <summary>Steps a paced async stream: asks for the next item and moves time on by one step each time the stream starts a wait.</summary>
internal static class Paced
{
    // A safety net so that a broken source fails the test instead of hanging the run; no test asserts on wall time.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    public static CountingClock Clock() => new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The next item; time moves on by <paramref name="step"/> for every wait the stream starts on the way (an item may take several).</summary>
    public static async Task<T> NextAsync<T>(IAsyncEnumerator<T> items, CountingClock time, TimeSpan step)
    {
        Assert.True(await StepAsync(items, time, step), "the stream ended early");
        return items.Current;
    }

    public static async Task EndAsync<T>(IAsyncEnumerator<T> items, CountingClock time, TimeSpan step) =>
        Assert.False(await StepAsync(items, time, step), "the stream went on");

    /// <summary>MoveNextAsync with time moved on by <paramref name="step"/> for every wait the stream starts.</summary>
    public static async Task<bool> StepAsync<T>(IAsyncEnumerator<T> items, CountingClock time, TimeSpan step)
    {
        int seen = time.TimersCreated;
        Task<bool> next = items.MoveNextAsync().AsTask();
        using var hang = new CancellationTokenSource(Hang);
        while (!next.IsCompleted)
        {
            // Advance only once the stream has started a new wait, so time never runs ahead of it.
            if (time.TimersCreated > seen)
            {
                seen = time.TimersCreated;
                time.Advance(step);
                continue;
            }

            await Task.WhenAny(next, Task.Delay(1, hang.Token)).ConfigureAwait(false);
            hang.Token.ThrowIfCancellationRequested();
        }

        return await next;
    }
}
