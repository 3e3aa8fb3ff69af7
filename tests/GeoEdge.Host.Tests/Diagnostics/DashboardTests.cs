using GeoEdge.Host.Diagnostics;
using GeoEdge.Host.Events;

namespace GeoEdge.Host.Tests.Diagnostics;

/// <summary>The dashboard in a real browser: headless Chromium renders data published after the page loaded.</summary>
[Trait("Category", "Integration")]
public sealed class DashboardTests
{
    [Fact]
    public async Task The_page_shows_a_detection_and_a_pipeline_that_appeared_after_it_loaded()
    {
        Assert.True(File.Exists(HeadlessChromium.Binary), $"{HeadlessChromium.Binary} is missing: ./build.sh test installs the 'chromium' package");
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync();
        h.Events.Publish(new DeviceEvent(DiagnosticsHarness.Start, "shapes", "shapes-dgcnn", "1.0.0", DeviceEventKind.Classification, "history-box", 0.75, LatencyUs: 1200));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        CancellationToken ct = timeout.Token;
        await using HeadlessChromium browser = await HeadlessChromium.OpenAsync(h.Address, ct);

        // The page subscribes to the event stream once it has run its script: from then on what is published is "live".
        while (h.Events.SubscriberCount == 0)
        {
            await Task.Delay(50, ct);
        }

        h.Events.Publish(new DeviceEvent(DiagnosticsHarness.Start.AddSeconds(5), "shapes", "shapes-dgcnn", "1.0.0", DeviceEventKind.Classification, "torus-live-7f3a", 0.875, LatencyUs: 2500));
        h.State.Current = h.State.Current with
        {
            Pipelines = [.. h.State.Current.Pipelines, new PipelineHeartbeat("lidar-front-live", "shapes-dgcnn", "1.0.0", DiagnosticsHarness.Start, TimeSpan.FromSeconds(1))],
        };

        string events = string.Empty;
        string pipelines = string.Empty;
        while (!(events.Contains("torus-live-7f3a", StringComparison.Ordinal) && pipelines.Contains("lidar-front-live", StringComparison.Ordinal)))
        {
            await Task.Delay(100, ct);
            events = await browser.EvaluateAsync("document.querySelector('#events tbody').innerText", ct);
            pipelines = await browser.EvaluateAsync("document.querySelector('#pipelines tbody').innerText", ct);
        }

        // Newest first: the live detection above the one loaded from history; probability and latency formatted.
        string[] rows = events.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("torus-live-7f3a", rows[0], StringComparison.Ordinal);
        Assert.Contains("0.875", rows[0], StringComparison.Ordinal);
        Assert.Contains("2.50", rows[0], StringComparison.Ordinal);
        Assert.Contains("history-box", rows[1], StringComparison.Ordinal);
        Assert.Equal("bench-01", await browser.EvaluateAsync("document.getElementById('device').textContent", ct));
        Assert.Equal("live", await browser.EvaluateAsync("document.getElementById('stream').textContent", ct));
        Assert.Contains("shapes-dgcnn", await browser.EvaluateAsync("document.querySelector('#models tbody').innerText", ct), StringComparison.Ordinal);
    }
}
