using System.Security.Cryptography;
using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Fleet;

namespace GeoEdge.Host.Tests.Fleet;

[Trait("Category", "Integration")]
public sealed class FleetClientTests
{
    [Fact]
    public async Task Device_requests_carry_signatures_the_server_verifies_with_the_device_key()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        f.Server.Desired = new DesiredState(3, 30, null);

        (DesiredState State, string? ETag)? desired = await f.Client.GetDesiredAsync(null, CancellationToken.None);
        await f.Client.PutReportedAsync(new ReportedState(3, new DesiredStatus(200, "ok"), [], "1.0.0", "dev-x64"), CancellationToken.None);
        bool current = await f.Client.PostStatusAsync("a1", "k1", new ActionStatusReport(1, DateTimeOffset.UnixEpoch, ActionStatus.Queued), CancellationToken.None);

        Assert.Equal((3L, "\"3\""), (desired!.Value.State.DesiredVersion, desired.Value.ETag));
        Assert.True(current);
        Assert.Empty(f.Server.BadSignatures);
        Assert.Equal(["GET /v1/devices/dev-1/desired", "PUT /v1/devices/dev-1/reported", "POST /v1/devices/dev-1/actions/a1/status"], f.Server.Requests);
    }

    [Fact]
    public async Task A_request_signed_with_another_key_is_refused_and_not_retried()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        f.Server.DeviceKey = other;

        FleetRequestException e = await Assert.ThrowsAsync<FleetRequestException>(() => f.Client.GetDesiredAsync(null, CancellationToken.None));

        Assert.Equal((401, false), (e.Status, e.Transient));
        Assert.Single(f.Server.Requests);
        Assert.Empty(f.Delays);
    }

    [Fact]
    public async Task Retry_after_of_a_503_is_honoured_then_the_call_succeeds()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        f.Server.MetricsFailures.Enqueue(503);
        f.Server.MetricsFailures.Enqueue(500);

        MetricsAck ack = await f.Client.PostMetricsAsync(new MetricsBatch(9, 1, 1, [Window(1)]), CancellationToken.None);

        Assert.Equal(1L, ack.AckedThroughSeq);
        Assert.Equal(3, f.Server.Requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(7), f.Delays[0]); // the server's Retry-After, not the backoff
        Assert.InRange(f.Delays[1], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)); // backoff attempt 1: half to all of 2 s
    }

    [Fact]
    public async Task A_problem_document_becomes_a_typed_exception_and_a_400_is_never_retried()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        f.Server.MetricsFailures.Enqueue(400);

        FleetRequestException e = await Assert.ThrowsAsync<FleetRequestException>(() => f.Client.PostMetricsAsync(new MetricsBatch(9, 1, 1, [Window(1)]), CancellationToken.None));

        Assert.Equal((400, false, "injected"), (e.Status, e.Transient, e.Problem?.Detail));
        Assert.Contains("POST", e.Message, StringComparison.Ordinal);
        Assert.Single(f.Server.Requests);
    }

    [Fact]
    public async Task Transient_failures_give_up_after_max_attempts_as_transient()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        for (int i = 0; i < 4; i++)
        {
            f.Server.MetricsFailures.Enqueue(502);
        }

        FleetRequestException e = await Assert.ThrowsAsync<FleetRequestException>(() => f.Client.PostMetricsAsync(new MetricsBatch(9, 1, 1, [Window(1)]), CancellationToken.None));

        Assert.Equal((502, true), (e.Status, e.Transient));
        Assert.Equal(4, f.Server.Requests.Count);
        Assert.Equal(3, f.Delays.Count);
    }

    [Fact]
    public async Task Not_modified_returns_null()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        f.Server.Desired = new DesiredState(4, 30, null);

        Assert.Null(await f.Client.GetDesiredAsync("\"4\"", CancellationToken.None));
        Assert.Equal(["\"4\""], f.Server.IfNoneMatch);
    }

    internal static MetricsWindow Window(long seq, string version = "1.0.0") =>
        new(seq, "shapes-dgcnn", version, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(1), 10, 0, new Dictionary<string, long>(), 1,
            [0, 0, 0, 0, 0, 0, 0, 0, 2, 8], WindowCounters.LatencyBoundsMs, [0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0], new Dictionary<string, long>(), null, 0);
}
