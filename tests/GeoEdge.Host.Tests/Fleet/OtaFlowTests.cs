using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Fleet;
using GeoEdge.Host.Tests.Models;

namespace GeoEdge.Host.Tests.Fleet;

/// <summary>The OTA transition table driven by a table of injected faults per state (STYLE rule 3): the exact path of
/// states and the exact statuses the server received.</summary>
[Trait("Category", "Fault")]
public sealed class OtaFlowTests
{
    private static readonly OtaState[] Happy = [OtaState.Idle, OtaState.Download, OtaState.Verify, OtaState.Install, OtaState.Activate, OtaState.Commit, OtaState.Done];
    private static readonly string[] HappyStatuses = ["downloading", "downloaded", "verifying", "installed", "activating", "active"];

    public static TheoryData<OtaState, string> OneFault
    {
        get
        {
            var data = new TheoryData<OtaState, string>();
            foreach (OtaState state in (OtaState[])[OtaState.Idle, OtaState.Download, OtaState.Verify, OtaState.Install, OtaState.Activate, OtaState.Commit])
            {
                foreach (string kind in (string[])["error", "crash", "hang"])
                {
                    data.Add(state, kind);
                }
            }

            return data;
        }
    }

    [Fact]
    public async Task Without_faults_the_action_goes_the_whole_way_and_the_target_serves()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();

        OtaRecord end = await h.NewFlow().StartAsync(h.Assignment, 7, CancellationToken.None);

        Assert.Equal(Happy, end.Path);
        Assert.Equal(HappyStatuses, h.Fleet.Server.StatusNames);
        Assert.Equal([1L, 2, 3, 4, 5, 6], h.Fleet.Server.Statuses.Select(s => s.Report.Seq));
        Assert.Equal(6, h.Fleet.Server.Statuses.Select(s => s.Key).Distinct().Count());
        Assert.Equal(new ActionProgress(0, h.Assignment.Bundle.Size), h.Fleet.Server.Statuses[0].Report.Progress);
        Assert.Equal((OtaHarness.Target, OtaHarness.Target), (h.Active, h.Store.Slot(StoreFixtures.Shapes).Version));
        Assert.False(File.Exists(h.Fleet.Files.Bundle(h.Assignment.Bundle.Sha256)));
        Assert.Empty(h.Fleet.Server.BadSignatures);
    }

    [Theory]
    [MemberData(nameof(OneFault))]
    public async Task One_fault_in_a_state_runs_that_state_again_and_the_action_still_ends_active(OtaState state, string kind)
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        var fault = new InjectedFault(state, kind);

        OtaRecord end;
        try
        {
            end = await h.NewFlow(fault.Hook, fault.WillHang).StartAsync(h.Assignment, 7, CancellationToken.None);
            Assert.NotEqual("crash", kind);
        }
        catch (SimulatedCrash)
        {
            await h.RestartAsync();
            end = await h.NewFlow(fault.Hook).RunAsync(CancellationToken.None);
        }

        int at = Array.IndexOf(Happy, state);
        Assert.Equal([.. Happy[..(at + 1)], state, .. Happy[(at + 1)..]], end.Path);
        Assert.Equal(HappyStatuses, h.Fleet.Server.StatusNames);
        Assert.Equal([1L, 2, 3, 4, 5, 6], h.Fleet.Server.Statuses.Select(s => s.Report.Seq));
        Assert.Equal(OtaHarness.Target, h.Active);
    }

    [Theory]
    [InlineData(OtaState.Idle, "error", new[] { OtaState.Idle, OtaState.Idle, OtaState.Idle, OtaState.Idle, OtaState.Failure }, new[] { "failed" })]
    [InlineData(OtaState.Download, "hang", new[] { OtaState.Idle, OtaState.Download, OtaState.Download, OtaState.Download, OtaState.Download, OtaState.Failure }, new[] { "downloading", "failed" })]
    [InlineData(OtaState.Install, "crash", new[] { OtaState.Idle, OtaState.Download, OtaState.Verify, OtaState.Install, OtaState.Install, OtaState.Install, OtaState.Install, OtaState.Failure }, new[] { "downloading", "downloaded", "verifying", "failed" })]
    [InlineData(OtaState.Commit, "error", new[] { OtaState.Idle, OtaState.Download, OtaState.Verify, OtaState.Install, OtaState.Activate, OtaState.Commit, OtaState.Commit, OtaState.Commit, OtaState.Commit, OtaState.Rollback, OtaState.Failure }, new[] { "downloading", "downloaded", "verifying", "installed", "activating", "rolled_back" })]
    public async Task A_fault_that_keeps_coming_is_ended_by_the_loop_counter(OtaState state, string kind, OtaState[] path, string[] statuses)
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        var fault = new InjectedFault(state, kind, times: int.MaxValue);
        OtaRecord? end = null;
        for (int start = 0; end is null; start++)
        {
            try
            {
                OtaFlow flow = h.NewFlow(fault.Hook, fault.WillHang);
                end = start == 0 ? await flow.StartAsync(h.Assignment, 7, CancellationToken.None) : await flow.RunAsync(CancellationToken.None);
            }
            catch (SimulatedCrash)
            {
                await h.RestartAsync();
            }
        }

        Assert.Equal(path, end.Path);
        Assert.Equal(statuses, h.Fleet.Server.StatusNames);
        Assert.Equal(StoreFixtures.ShippedVersion, h.Active);
        Assert.Equal(state == OtaState.Commit ? "commit" : "loop", h.Fleet.Server.Statuses[^1].Report.Code);
    }

    [Fact]
    public async Task A_bundle_signed_by_an_untrusted_key_is_rejected_and_nothing_is_installed()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync(untrustedSigner: true);

        OtaRecord end = await h.NewFlow().StartAsync(h.Assignment, 7, CancellationToken.None);

        Assert.Equal([OtaState.Idle, OtaState.Download, OtaState.Verify, OtaState.Install, OtaState.Failure], end.Path);
        Assert.Equal(["downloading", "downloaded", "verifying", "rejected"], h.Fleet.Server.StatusNames);
        Assert.Equal("signature", h.Fleet.Server.Statuses[^1].Report.Code);
        Assert.Equal([StoreFixtures.ShippedVersion], h.Store.List().Single().Installed);
    }

    [Fact]
    public async Task A_bundle_whose_sha256_differs_from_the_assignment_is_rejected_before_the_store_sees_it()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        string real = h.Assignment.Bundle.Sha256;
        h.Fleet.Server.Bundles[new string('0', 64)] = h.Fleet.Server.Bundles[real];
        Assignment wrong = h.With(sha: new string('0', 64)) with { Bundle = h.Assignment.Bundle with { Sha256 = new string('0', 64), Url = $"/v1/bundles/{new string('0', 64)}" } };

        OtaRecord end = await h.NewFlow().StartAsync(wrong, 7, CancellationToken.None);

        Assert.Equal([OtaState.Idle, OtaState.Download, OtaState.Verify, OtaState.Failure], end.Path);
        Assert.Equal(["downloading", "downloaded", "rejected"], h.Fleet.Server.StatusNames);
        Assert.Equal("sha256", h.Fleet.Server.Statuses[^1].Report.Code);
        Assert.Equal([StoreFixtures.ShippedVersion], h.Store.List().Single().Installed);
    }

    [Fact]
    public async Task The_active_version_assigned_again_ends_already_active_without_a_download()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();

        OtaRecord end = await h.NewFlow().StartAsync(h.With(version: StoreFixtures.ShippedVersion), 7, CancellationToken.None);

        Assert.Equal([OtaState.Idle, OtaState.Done], end.Path);
        Assert.Equal(["already_active"], h.Fleet.Server.StatusNames);
        Assert.Empty(h.Fleet.Server.BundleRequests);
    }

    [Fact]
    public async Task A_410_abandons_the_action_cleanly()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        h.Fleet.Server.GoneActions.Add("a1");

        OtaRecord end = await h.NewFlow().StartAsync(h.Assignment, 7, CancellationToken.None);

        Assert.True(end.Abandoned);
        Assert.Equal([OtaState.Idle], end.Path);
        Assert.Empty(h.Fleet.Server.StatusNames);
        Assert.Empty(Directory.GetFiles(h.Fleet.Files.Outbox));
        Assert.Equal(StoreFixtures.ShippedVersion, h.Active);
        Assert.True(h.NewFlow().Current!.IsFinished);
    }

    [Fact]
    public async Task A_download_cut_mid_way_resumes_in_the_download_state()
    {
        await using OtaHarness h = await OtaHarness.CreateAsync();
        h.Fleet.Server.CutBundleAfter.Enqueue(150_000);

        OtaRecord end = await h.NewFlow().StartAsync(h.Assignment, 7, CancellationToken.None);

        Assert.Equal([OtaState.Idle, OtaState.Download, OtaState.Download, OtaState.Verify, OtaState.Install, OtaState.Activate, OtaState.Commit, OtaState.Done], end.Path);
        Assert.Equal(HappyStatuses, h.Fleet.Server.StatusNames);
        Assert.StartsWith("bytes=", h.Fleet.Server.BundleRequests[1].Range, StringComparison.Ordinal);
        Assert.Equal(206, h.Fleet.Server.BundleRequests[1].Status);
    }
}
