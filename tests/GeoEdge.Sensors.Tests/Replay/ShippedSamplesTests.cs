using System.Text.Json;
using GeoEdge.Sensors.Replay;
using GeoEdge.Sensors.Sources;

namespace GeoEdge.Sensors.Tests.Replay;

/// <summary>The replay samples shipped in models/*/samples (written by make_samples.py there) play without an error.</summary>
public sealed class ShippedSamplesTests
{
    [Fact]
    [Trait("Category", "Integration")]
    public async Task Shapes_samples_are_twelve_labelled_clouds_of_1024_points()
    {
        var time = Paced.Clock();
        var replay = new PointCloudReplay(RepoFiles.Path("models", "shapes-dgcnn", "samples"), new ReplayOptions(10, Loop: false), time);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(RepoFiles.Path("models", "shapes-dgcnn", "bundle", "manifest.json")));
        string[] labels = [.. manifest.RootElement.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!)];

        var frames = new List<PointCloudFrame>();
        await using var items = replay.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        for (int i = 0; i < 12; i++)
        {
            frames.Add(await Paced.NextAsync(items, time, TimeSpan.FromMilliseconds(100)));
        }

        await Paced.EndAsync(items, time, TimeSpan.FromMilliseconds(100));
        Assert.Equal(labels.Select((l, i) => $"{i:00}_{l}.pcd"), frames.Select(f => f.Origin));
        Assert.All(frames, f => Assert.Equal(1024, f.Cloud.CountFinite()));
        Assert.Equal(0L, replay.Counters.Errors);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Sensor_recording_has_every_manifest_sensor_on_a_300_s_grid()
    {
        var time = Paced.Clock();
        var replay = new SensorCsvReplay(RepoFiles.Path("models", "sensor-stgnn", "samples", "recording.csv"), new ReplayOptions(1000, Loop: false), time);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(RepoFiles.Path("models", "sensor-stgnn", "bundle", "manifest.json")));
        var sensors = manifest.RootElement.GetProperty("preprocessing").GetProperty("sensors").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToHashSet();

        var readings = new List<SensorReading>();
        await using var items = replay.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        while (await Paced.StepAsync(items, time, TimeSpan.FromMilliseconds(1)))
        {
            readings.Add(items.Current);
        }

        Assert.Equal(0L, replay.Counters.Errors);
        Assert.Equal((replay.Counters.Frames * 22) - replay.Counters.Lost, readings.Count);
        Assert.True(readings.Select(r => r.Node).ToHashSet().SetEquals(sensors));
        Assert.All(readings, r => Assert.Equal(0, (r.Time - readings[0].Time).TotalSeconds % 300));
        Assert.Equal(TimeSpan.FromSeconds(300 * (replay.Counters.Frames - 1)), readings[^1].Time - readings[0].Time);
    }
}
