using GeoEdge.Host.Service;
using Microsoft.Extensions.Time.Testing;

namespace GeoEdge.Host.Tests.Service;

[Trait("Category", "Unit")]
public sealed class SystemdNotifierTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Notification_reaches_a_path_or_abstract_socket(bool @abstract)
    {
        using var listener = new NotifyListener(@abstract);
        using var notifier = new SystemdNotifier(listener.Path);

        Assert.True(notifier.Notify("READY=1\nSTATUS=2 pipelines"));

        Assert.Equal("READY=1\nSTATUS=2 pipelines", listener.Receive(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Without_notify_socket_nothing_is_sent_and_nothing_throws()
    {
        using var notifier = new SystemdNotifier(null);

        Assert.False(notifier.IsEnabled);
        Assert.False(notifier.Notify("READY=1"));
    }

    [Fact]
    public void A_vanished_supervisor_is_counted_not_thrown()
    {
        using var notifier = new SystemdNotifier(Path.Combine(Path.GetTempPath(), $"gone-{Guid.NewGuid():N}.sock"));

        Assert.False(notifier.Notify("READY=1"));
        Assert.Equal((0, 1), (notifier.Sent, notifier.Failed));
    }
}

[Trait("Category", "Unit")]
public sealed class WatchdogHeartbeatTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Pings_at_half_the_timeout_while_every_loop_beats_and_stop_when_one_is_stuck()
    {
        using var listener = new NotifyListener();
        using var notifier = new SystemdNotifier(listener.Path);
        var time = new FakeTimeProvider();
        var heartbeat = new WatchdogHeartbeat(notifier, time, Timeout);
        int a = heartbeat.Register(), b = heartbeat.Register();
        notifier.NotifyReady("STATUS=test");
        Assert.Equal("READY=1\nSTATUS=test", listener.Receive(TimeSpan.FromSeconds(5)));

        At(time, 4.9, () => { heartbeat.Beat(a); heartbeat.Beat(b); });
        Assert.Equal(0, heartbeat.Pings); // half the timeout has not passed

        At(time, 5.0, () => heartbeat.Beat(a));
        Assert.Equal(1, heartbeat.Pings); // both loops beat since start, 5 s passed
        Assert.Equal("WATCHDOG=1", listener.Receive(TimeSpan.FromSeconds(5)));

        At(time, 10.0, () => heartbeat.Beat(a));
        Assert.Equal(1, heartbeat.Pings); // b has not beaten since the last ping
        At(time, 10.1, () => heartbeat.Beat(b));
        Assert.Equal(2, heartbeat.Pings); // b's beat completes the round and sends the ping itself

        // b is stuck from now on: a keeps beating for a minute and no ping goes out, so systemd would restart us.
        for (double t = 10.2; t < 70; t += 0.5)
        {
            At(time, t, () => heartbeat.Beat(a));
        }

        Assert.Equal(2, heartbeat.Pings);
    }

    [Fact]
    public void A_loop_that_ends_on_purpose_does_not_hold_pings_back()
    {
        using var listener = new NotifyListener();
        using var notifier = new SystemdNotifier(listener.Path);
        var time = new FakeTimeProvider();
        var heartbeat = new WatchdogHeartbeat(notifier, time, Timeout);
        int a = heartbeat.Register(), b = heartbeat.Register();
        notifier.NotifyReady(string.Empty);

        heartbeat.Unregister(b);
        At(time, 5.0, () => heartbeat.Beat(a));

        Assert.Equal(1, heartbeat.Pings);
    }

    [Fact]
    public void No_ping_goes_out_before_ready_even_when_every_loop_beats()
    {
        using var listener = new NotifyListener();
        using var notifier = new SystemdNotifier(listener.Path);
        var time = new FakeTimeProvider();
        var heartbeat = new WatchdogHeartbeat(notifier, time, Timeout);
        int a = heartbeat.Register();

        At(time, 30.0, () => heartbeat.Beat(a)); // models still loading: the loops run, the host has not reported ready
        Assert.Equal(0, heartbeat.Pings);

        notifier.NotifyReady(string.Empty);
        At(time, 30.1, () => heartbeat.Beat(a));
        Assert.Equal(1, heartbeat.Pings);
        Assert.Equal("READY=1", listener.Receive(TimeSpan.FromSeconds(5)));
        Assert.Equal("WATCHDOG=1", listener.Receive(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Without_watchdog_usec_no_pings_are_sent()
    {
        using var listener = new NotifyListener();
        using var notifier = new SystemdNotifier(listener.Path);
        var time = new FakeTimeProvider();
        var heartbeat = new WatchdogHeartbeat(notifier, time, null);
        int a = heartbeat.Register();

        At(time, 100, () => heartbeat.Beat(a));

        Assert.Equal((false, 0), (heartbeat.IsEnabled, heartbeat.Pings));
        Assert.Null(listener.Receive(TimeSpan.FromMilliseconds(100)));
    }

    private static void At(FakeTimeProvider time, double seconds, Action action)
    {
        time.Advance(TimeSpan.FromSeconds(seconds) - (time.GetUtcNow() - Start));
        action();
    }

    private static readonly DateTimeOffset Start = new FakeTimeProvider().GetUtcNow();
}
