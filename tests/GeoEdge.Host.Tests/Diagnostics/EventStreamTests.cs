using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using GeoEdge.Host.Events;

namespace GeoEdge.Host.Tests.Diagnostics;

[Trait("Category", "Integration")]
public sealed class EventStreamTests
{
    [Fact]
    public async Task A_live_stream_receives_events_published_after_it_opened_and_heartbeats_while_idle()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync();
        h.Events.Publish(new DeviceEvent(DiagnosticsHarness.Start, "shapes", "shapes-dgcnn", "1.0.0", DeviceEventKind.Classification, "before"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using HttpResponseMessage response = await h.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Channel<string> lines = Channel.CreateUnbounded<string>();
        Task pump = Task.Run(async () =>
        {
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                await lines.Writer.WriteAsync(line, stop.Token);
            }
        });

        Assert.Equal(": subscribed", await lines.Reader.ReadAsync(stop.Token));
        Assert.Equal(string.Empty, await lines.Reader.ReadAsync(stop.Token));

        h.Events.Publish(new DeviceEvent(DiagnosticsHarness.Start.AddSeconds(1), "greenhouse", "sensor-stgnn", "2.0.0", DeviceEventKind.Anomaly, AnomalousSensors: ["temp_r1"], LatencyUs: 640));

        string data = await lines.Reader.ReadAsync(stop.Token);
        Assert.StartsWith("data: ", data, StringComparison.Ordinal);
        using (JsonDocument json = JsonDocument.Parse(data["data: ".Length..]))
        {
            Assert.Equal("anomaly", json.RootElement.GetProperty("kind").GetString());
            Assert.Equal("temp_r1", json.RootElement.GetProperty("anomalousSensors")[0].GetString());
            Assert.Equal(640, json.RootElement.GetProperty("latencyUs").GetDouble());
        }

        Assert.Equal(string.Empty, await lines.Reader.ReadAsync(stop.Token));

        // The heartbeat timer runs on the fake clock: advance it until the idle stream sends its comment line (the
        // server arms the timer after flushing the event, so one advance may land before it).
        string? next = null;
        while (next is null)
        {
            h.Time.Advance(TimeSpan.FromSeconds(15));
            using var poll = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            poll.CancelAfter(TimeSpan.FromMilliseconds(200));
            try
            {
                next = await lines.Reader.ReadAsync(poll.Token);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
            }
        }

        Assert.Equal(": heartbeat", next);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => pump);
    }

    [Fact]
    public async Task Closing_the_stream_ends_the_subscription_on_the_server()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events"))
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using HttpResponseMessage response = await h.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.Equal(": subscribed", await reader.ReadLineAsync());
            Assert.Equal(1, h.Events.SubscriberCount);
        }

        // Kestrel notices the closed connection asynchronously; publishing (which never blocks) eventually finds no reader.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (h.Events.SubscriberCount != 0)
        {
            h.Events.Publish(new DeviceEvent(DiagnosticsHarness.Start, "shapes", "m", "1", DeviceEventKind.Classification, "x"));
            await Task.Delay(20, stop.Token);
        }

        Assert.Equal(0, h.Events.SubscriberCount);
    }
}
