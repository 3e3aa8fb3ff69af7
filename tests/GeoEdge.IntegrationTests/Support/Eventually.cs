namespace GeoEdge.IntegrationTests.Support;

/// <summary>Waits for a condition on real state with a generous deadline; never asserts how long it took.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    /// <summary>Polls <paramref name="probe"/> until it returns a value, or fails naming <paramref name="what"/> and the last state seen.</summary>
    public static async Task<T> ValueAsync<T>(string what, Func<Task<(bool Done, T Value, string State)>> probe, TimeSpan? deadline = null)
    {
        DateTime end = DateTime.UtcNow + (deadline ?? Deadline);
        string last = "(not probed)";
        while (true)
        {
            (bool done, T value, string state) = await probe();
            if (done)
            {
                return value;
            }

            last = state;
            if (DateTime.UtcNow > end)
            {
                throw new TimeoutException($"{what}: not reached within {deadline ?? Deadline}; last state: {last}");
            }

            await Task.Delay(250);
        }
    }

    public static Task TrueAsync(string what, Func<Task<bool>> probe, Func<string>? state = null, TimeSpan? deadline = null) =>
        ValueAsync(what, async () => (await probe(), true, state?.Invoke() ?? "false"), deadline);

    public static Task TrueAsync(string what, Func<bool> probe, Func<string>? state = null, TimeSpan? deadline = null) =>
        TrueAsync(what, () => Task.FromResult(probe()), state, deadline);
}
