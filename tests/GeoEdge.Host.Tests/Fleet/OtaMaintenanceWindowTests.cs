using System.Text.Json.Nodes;
using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Fleet;
using GeoEdge.Host.Tests.Models;
using Microsoft.Extensions.Time.Testing;

namespace GeoEdge.Host.Tests.Fleet;

/// <summary>Activate "attempt" waits, installed, for the maintenance window on the flow's clock; "forced" does not; a
/// window the device cannot read rejects the action instead of throwing on every pass.</summary>
[Trait("Category", "Integration")]
public sealed class OtaMaintenanceWindowTests
{
    private static readonly OtaState[] UpToInstall = [OtaState.Idle, OtaState.Download, OtaState.Verify, OtaState.Install];
    private static readonly OtaState[] Happy = [.. UpToInstall, OtaState.Activate, OtaState.Commit, OtaState.Done];
    private static readonly string[] UpToInstalled = ["downloading", "downloaded", "verifying", "installed"];
    private static readonly string[] HappyStatuses = [.. UpToInstalled, "activating", "active"];

    // Noon UTC: outside the 22:00-04:00 window that wraps midnight.
    private static readonly DateTimeOffset Noon = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly MaintenanceWindow Night = new("22:00", "04:00");

    [Fact]
    public async Task Outside_the_window_an_attempt_stays_installed_and_activates_once_the_clock_enters_it()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        var clock = new FakeTimeProvider(Noon);
        Assignment attempt = h.Assignment with { Activate = AssignmentMode.Attempt, MaintenanceWindow = Night };

        OtaRecord parked = await h.NewFlow(time: clock).StartAsync(attempt, 7, CancellationToken.None);

        Assert.Equal((OtaState.Activate, false, 0, ActionStatus.Installed), (parked.State, parked.IsFinished, parked.Attempts, parked.Status));
        Assert.Equal(UpToInstall, parked.Path);
        Assert.Equal(UpToInstalled, h.Fleet.Server.StatusNames);
        Assert.Equal(StoreFixtures.ShippedVersion, h.Active);
        Assert.Equal([StoreFixtures.ShippedVersion, OtaHarness.Target], h.Store.List().Single().Installed);

        // Later passes still outside the window: nothing runs, nothing is counted or posted (3 passes > MaxAttempts).
        for (int pass = 0; pass < 4; pass++)
        {
            clock.Advance(TimeSpan.FromHours(2)); // 14:00, 16:00, 18:00, 20:00
            parked = await h.NewFlow(time: clock).RunAsync(CancellationToken.None);
        }

        Assert.Equal((OtaState.Activate, 0), (parked.State, parked.Attempts));
        Assert.Equal(UpToInstall, parked.Path);
        Assert.Equal(UpToInstalled, h.Fleet.Server.StatusNames);

        clock.Advance(TimeSpan.FromHours(3)); // 23:00
        OtaRecord end = await h.NewFlow(time: clock).RunAsync(CancellationToken.None);

        Assert.Equal(Happy, end.Path);
        Assert.Equal(HappyStatuses, h.Fleet.Server.StatusNames);
        Assert.Equal([1L, 2, 3, 4, 5, 6], h.Fleet.Server.Statuses.Select(s => s.Report.Seq));
        Assert.Equal((OtaHarness.Target, OtaHarness.Target), (h.Active, h.Store.Slot(StoreFixtures.Shapes).Version));
    }

    [Fact]
    public async Task A_restart_while_waiting_for_the_window_resumes_waiting_and_then_activates()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        var clock = new FakeTimeProvider(Noon);
        Assignment attempt = h.Assignment with { Activate = AssignmentMode.Attempt, MaintenanceWindow = Night };
        await h.NewFlow(time: clock).StartAsync(attempt, 7, CancellationToken.None);

        await h.RestartAsync();
        OtaRecord parked = await h.NewFlow(time: clock).RunAsync(CancellationToken.None);

        Assert.Equal((OtaState.Activate, 0), (parked.State, parked.Attempts));
        Assert.Equal(UpToInstalled, h.Fleet.Server.StatusNames);
        Assert.Equal(StoreFixtures.ShippedVersion, h.Active);

        clock.Advance(TimeSpan.FromHours(15)); // 03:00 the next day: inside the wrapped part of the window
        await h.RestartAsync();
        OtaRecord end = await h.NewFlow(time: clock).RunAsync(CancellationToken.None);

        Assert.Equal(Happy, end.Path);
        Assert.Equal(HappyStatuses, h.Fleet.Server.StatusNames);
        Assert.Equal(OtaHarness.Target, h.Active);
    }

    [Theory]
    [InlineData(AssignmentMode.Forced, true)]
    [InlineData(AssignmentMode.Attempt, false)]
    public async Task Forced_or_no_window_activates_at_once_outside_any_window(string activate, bool withWindow)
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        var clock = new FakeTimeProvider(Noon);
        Assignment assignment = h.Assignment with { Activate = activate, MaintenanceWindow = withWindow ? Night : null };

        OtaRecord end = await h.NewFlow(time: clock).StartAsync(assignment, 7, CancellationToken.None);

        Assert.Equal(Happy, end.Path);
        Assert.Equal(HappyStatuses, h.Fleet.Server.StatusNames);
        Assert.Equal(OtaHarness.Target, h.Active);
    }

    [Fact]
    public async Task Inside_the_window_an_attempt_activates_at_once()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        var clock = new FakeTimeProvider(Noon.AddHours(11)); // 23:00
        Assignment attempt = h.Assignment with { Activate = AssignmentMode.Attempt, MaintenanceWindow = Night };

        OtaRecord end = await h.NewFlow(time: clock).StartAsync(attempt, 7, CancellationToken.None);

        Assert.Equal(Happy, end.Path);
        Assert.Equal(HappyStatuses, h.Fleet.Server.StatusNames);
    }

    [Theory]
    [InlineData("25:00", "04:00", AssignmentMode.Attempt, "maintenance window StartUtc '25:00' is not HH:mm (UTC)")]
    [InlineData("22:00", "4:00", AssignmentMode.Attempt, "maintenance window EndUtc '4:00' is not HH:mm (UTC)")]
    [InlineData("22:00", "", AssignmentMode.Forced, "maintenance window EndUtc '' is not HH:mm (UTC)")]
    public async Task A_malformed_window_rejects_the_action_before_anything_is_downloaded(string start, string end, string activate, string details)
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        Assignment malformed = h.Assignment with { Activate = activate, MaintenanceWindow = new MaintenanceWindow(start, end) };

        OtaRecord end1 = await h.NewFlow(time: new FakeTimeProvider(Noon)).StartAsync(malformed, 7, CancellationToken.None);

        Assert.Equal([OtaState.Idle, OtaState.Failure], end1.Path);
        Assert.Equal((ActionStatus.Rejected, details), (end1.Status, end1.Details));
        (string actionId, _, ActionStatusReport report) = Assert.Single(h.Fleet.Server.Statuses);
        Assert.Equal(("a1", 1L, ActionStatus.Rejected, "maintenance_window", details), (actionId, report.Seq, report.Status, report.Code, report.Details));
        Assert.Empty(h.Fleet.Server.BundleRequests);
        Assert.Equal(StoreFixtures.ShippedVersion, h.Active);
        Assert.Equal([StoreFixtures.ShippedVersion], h.Store.List().Single().Installed);

        // Finished: a later pass (or a restart) runs nothing and posts nothing.
        OtaRecord again = await h.NewFlow(time: new FakeTimeProvider(Noon)).RunAsync(CancellationToken.None);
        Assert.Equal((OtaState.Failure, end1.Path.Count), (again.State, again.Path.Count));
        Assert.Single(h.Fleet.Server.Statuses);
    }

    [Fact]
    public async Task A_record_parked_at_Activate_with_a_malformed_window_is_rejected_there_not_thrown_on_every_pass()
    {
        // An ota.json written by an agent that did not check windows at Idle: installed, waiting at Activate.
        await using OtaHarness h = await OtaHarness.CreateAsync();
        var clock = new FakeTimeProvider(Noon);
        await h.NewFlow(time: clock).StartAsync(h.Assignment with { Activate = AssignmentMode.Attempt, MaintenanceWindow = Night }, 7, CancellationToken.None);
        JsonNode ota = JsonNode.Parse(await File.ReadAllTextAsync(h.Fleet.Files.Ota))!;
        ota["assignment"]!["maintenanceWindow"]!["startUtc"] = "22h";
        await File.WriteAllTextAsync(h.Fleet.Files.Ota, ota.ToJsonString());

        OtaRecord end = await h.NewFlow(time: clock).RunAsync(CancellationToken.None);

        Assert.Equal([.. UpToInstall, OtaState.Activate, OtaState.Failure], end.Path);
        Assert.Equal(ActionStatus.Rejected, end.Status);
        Assert.Equal([.. UpToInstalled, "rejected"], h.Fleet.Server.StatusNames);
        ActionStatusReport rejected = h.Fleet.Server.Statuses[^1].Report;
        Assert.Equal((5L, "maintenance_window", "maintenance window StartUtc '22h' is not HH:mm (UTC)"), (rejected.Seq, rejected.Code, rejected.Details));
        Assert.Equal(StoreFixtures.ShippedVersion, h.Active);
    }
}
