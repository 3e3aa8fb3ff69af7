using System.Security.Cryptography;
using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Fleet;
using GeoEdge.Host.Tests.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GeoEdge.Host.Tests.Fleet;

[Trait("Category", "Integration")]
public sealed class ReconcilerTests
{
    [Fact]
    public async Task Desired_assignment_is_planned_run_and_reported_converged_then_304_changes_nothing_and_older_versions_are_ignored()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        FakeFleetServer server = h.Fleet.Server;
        server.Desired = new DesiredState(5, 42, h.Assignment);
        Reconciler reconciler = NewReconciler(h);

        TimeSpan poll = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        await reconciler.ReconcileOnceAsync(CancellationToken.None);
        server.Desired = new DesiredState(3, 42, h.With(version: StoreFixtures.ShippedVersion));
        await reconciler.ReconcileOnceAsync(CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(42), poll);
        Assert.Equal(["-", "\"5\"", "\"5\""], server.IfNoneMatch);
        ReportedState report = Assert.Single(server.Reports);
        Assert.Equal((5L, 200), (report.LastDesiredVersion, report.LastDesiredStatus.Code));
        ReportedModel model = Assert.Single(report.Models);
        string manifest = Path.Combine(h.Store.ModelsDirectory, StoreFixtures.Shapes, OtaHarness.Target, "manifest.json");
        Assert.Equal(new ModelVersionReference(OtaHarness.Target, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(manifest)))), model.Active);
        Assert.Equal(StoreFixtures.ShippedVersion, model.Previous!.Version);
        Assert.Equal(("dev-x64", "9.9.9"), (report.Board, report.AgentVersion));
        Assert.Equal(OtaHarness.Target, h.Active);
        Assert.Equal(5L, reconciler.Last.LastDesiredVersion);
    }

    [Fact]
    public async Task A_failed_action_is_reported_with_a_failure_code_and_not_retried_for_the_same_desired_version()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync(untrustedSigner: true);
        h.Fleet.Server.Desired = new DesiredState(6, 30, h.Assignment);
        Reconciler reconciler = NewReconciler(h);

        await reconciler.ReconcileOnceAsync(CancellationToken.None);
        h.Fleet.Server.IfNoneMatch.Clear();
        await reconciler.ReconcileOnceAsync(CancellationToken.None); // 304

        ReportedState report = Assert.Single(h.Fleet.Server.Reports);
        Assert.Equal((6L, 422), (report.LastDesiredVersion, report.LastDesiredStatus.Code));
        Assert.Single(h.Fleet.Server.BundleRequests);
    }

    [Fact]
    public async Task No_assignment_is_converged()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        h.Fleet.Server.Desired = new DesiredState(2, 30, null);

        await NewReconciler(h).ReconcileOnceAsync(CancellationToken.None);

        Assert.Equal((2L, 200), (h.Fleet.Server.Reports.Single().LastDesiredVersion, h.Fleet.Server.Reports.Single().LastDesiredStatus.Code));
        Assert.Empty(h.Fleet.Server.Statuses);
    }

    [Fact]
    public async Task An_activation_waiting_for_its_window_is_reported_in_progress_and_re_checked_on_each_pass()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        h.Fleet.Server.Desired = new DesiredState(8, 30, h.Assignment with { Activate = AssignmentMode.Attempt, MaintenanceWindow = new("22:00", "04:00") });
        Reconciler reconciler = NewReconciler(h, clock);

        await reconciler.ReconcileOnceAsync(CancellationToken.None);
        await reconciler.ReconcileOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(11)); // 23:00
        await reconciler.ReconcileOnceAsync(CancellationToken.None);

        Assert.Equal([102, 102, 200], h.Fleet.Server.Reports.Select(r => r.LastDesiredStatus.Code));
        Assert.EndsWith(": Activate", h.Fleet.Server.Reports[0].LastDesiredStatus.Description, StringComparison.Ordinal);
        Assert.Equal(["downloading", "downloaded", "verifying", "installed", "activating", "active"], h.Fleet.Server.StatusNames);
        Assert.Single(h.Fleet.Server.BundleRequests);
        Assert.Equal(OtaHarness.Target, h.Active);
    }

    [Fact]
    public async Task A_malformed_window_is_reported_rejected_422_once_and_the_loop_goes_on()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        h.Fleet.Server.Desired = new DesiredState(9, 30, h.Assignment with { Activate = AssignmentMode.Attempt, MaintenanceWindow = new("25:00", "04:00") });
        Reconciler reconciler = NewReconciler(h);

        await reconciler.ReconcileOnceAsync(CancellationToken.None);
        await reconciler.ReconcileOnceAsync(CancellationToken.None); // 304: finished, nothing to resume or report again

        ReportedState report = Assert.Single(h.Fleet.Server.Reports);
        Assert.Equal((9L, 422, "a1 (shapes-dgcnn 1.1.0): rejected: maintenance window StartUtc '25:00' is not HH:mm (UTC)"),
            (report.LastDesiredVersion, report.LastDesiredStatus.Code, report.LastDesiredStatus.Description));
        Assert.Equal(["rejected"], h.Fleet.Server.StatusNames);
        Assert.Equal("maintenance_window", h.Fleet.Server.Statuses.Single().Report.Code);
        Assert.Empty(h.Fleet.Server.BundleRequests);
        Assert.Equal(StoreFixtures.ShippedVersion, h.Active);
    }

    private static Reconciler NewReconciler(OtaHarness h, TimeProvider? time = null)
    {
        OtaFlow flow = h.NewFlow(time: time);
        FleetClient client = h.Fleet.NewClient(h.Fleet.Server.Address);
        return new Reconciler(client, flow, new PlanRunner(Backoff.Default, TimeProvider.System, NullLogger.Instance),
            new StateReporter(client, h.Store, "dev-x64", "9.9.9", null), h.Fleet.Files, 60, NullLogger.Instance);
    }
}
