using Microsoft.Extensions.Time.Testing;

namespace GeoEdge.Sensors.Tests;

/// <summary>Steps a paced async stream on a <see cref="FakeTimeProvider"/>: asks for the next item and, if it waits, moves time on by one step.</summary>
internal static class Paced
{
    // A safety net so that a broken source fails the test instead of hanging the run; no test asserts on wall time.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    /// <summary>The next item; time moves on by <paramref name="step"/> each time the stream waits (an item may take several waits).</summary>
    public static async Task<T> NextAsync<T>(IAsyncEnumerator<T> items, FakeTimeProvider time, TimeSpan step)
    {
        Assert.True(await StepAsync(items.MoveNextAsync().AsTask(), time, step), "the stream ended early");
        return items.Current;
    }

    public static async Task EndAsync<T>(IAsyncEnumerator<T> items, FakeTimeProvider time, TimeSpan step) =>
        Assert.False(await StepAsync(items.MoveNextAsync().AsTask(), time, step), "the stream went on");

    private static async Task<bool> StepAsync(Task<bool> next, FakeTimeProvider time, TimeSpan step)
    {
        // Timer callbacks run inside Advance, so a waiting stream has registered its next delay by the time
        // Advance returns; the short real wait only covers continuations that hop to the thread pool.
        for (int i = 0; i < 1000 && !next.IsCompleted; i++)
        {
            time.Advance(step);
            await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(1)));
        }

        return await next.WaitAsync(Hang);
    }

    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
}
