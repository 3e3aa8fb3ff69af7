using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Fleet;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.Host.Tests.Fleet;

[Trait("Category", "Integration")]
public sealed class StatusOutboxTests
{
    [Fact]
    public async Task Statuses_queued_while_the_server_is_down_keep_their_keys_across_a_restart_and_arrive_in_order()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        using FleetClient down = f.NewClient(new Uri("http://127.0.0.1:1"), maxAttempts: 1);
        string[] keys;
        using (var outbox = new StatusOutbox(f.Files.Outbox, down, NullLogger.Instance))
        {
            outbox.Enqueue("a1", Report(1, ActionStatus.Downloading));
            outbox.Enqueue("a1", Report(2, ActionStatus.Downloaded));
            await outbox.DrainAsync(CancellationToken.None);
            keys = [.. outbox.Pending.Select(e => e.IdempotencyKey)];
        }

        using var restarted = new StatusOutbox(f.Files.Outbox, f.Client, NullLogger.Instance);
        OutboxEntry again = restarted.Enqueue("a1", Report(2, ActionStatus.Downloaded)); // the flow re-running its state after the restart
        string[] reloaded = [.. restarted.Pending.Select(e => e.IdempotencyKey)];
        await restarted.DrainAsync(CancellationToken.None);

        Assert.Equal(2, keys.Length);
        Assert.Equal(keys, reloaded);
        Assert.Equal(keys[1], again.IdempotencyKey);
        Assert.Equal(keys, f.Server.Statuses.Select(s => s.Key));
        Assert.Equal(["downloading", "downloaded"], f.Server.StatusNames);
        Assert.Empty(restarted.Pending);
        Assert.Empty(Directory.GetFiles(f.Files.Outbox));
    }

    [Fact]
    public async Task A_status_resent_after_a_crash_before_its_deletion_is_a_replay_not_a_new_status()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        using (var outbox = new StatusOutbox(f.Files.Outbox, f.Client, NullLogger.Instance))
        {
            outbox.Enqueue("a1", Report(1, ActionStatus.Downloading));
        }

        string entry = Directory.GetFiles(f.Files.Outbox).Single();
        byte[] saved = File.ReadAllBytes(entry);
        using (var outbox = new StatusOutbox(f.Files.Outbox, f.Client, NullLogger.Instance))
        {
            await outbox.DrainAsync(CancellationToken.None);
        }

        File.WriteAllBytes(entry, saved); // the server took it; the device died before the delete reached the disk
        using var restarted = new StatusOutbox(f.Files.Outbox, f.Client, NullLogger.Instance);
        await restarted.DrainAsync(CancellationToken.None);

        Assert.Single(f.Server.Statuses);
        Assert.Equal(2, f.Server.Requests.Count(r => r.EndsWith("/status", StringComparison.Ordinal)));
        Assert.Empty(restarted.Pending);
    }

    [Fact]
    public async Task A_refused_status_is_kept_not_dropped()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        using var outbox = new StatusOutbox(f.Files.Outbox, f.Client, NullLogger.Instance);
        OutboxEntry entry = outbox.Enqueue("a1", Report(1, ActionStatus.Downloading));
        using (var other = new StatusOutbox(Path.Combine(f.Scratch, "other"), f.Client, NullLogger.Instance))
        {
            // The same key with another body: the server answers 422.
            await f.Client.PostStatusAsync("a1", entry.IdempotencyKey, Report(1, ActionStatus.Failed), CancellationToken.None);
        }

        await outbox.DrainAsync(CancellationToken.None);

        Assert.Equal([entry], outbox.Pending);
        Assert.Single(Directory.GetFiles(f.Files.Outbox));
    }

    private static ActionStatusReport Report(long seq, ActionStatus status) => new(seq, new DateTimeOffset(2026, 11, 29, 12, 0, (int)seq, TimeSpan.Zero), status);
}
