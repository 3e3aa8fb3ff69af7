using System.Text;
using GeoEdge.Host.Events;

namespace GeoEdge.Host.Tests.Events;

[Trait("Category", "Integration")]
public sealed class EventLogTests
{
    [Fact]
    public void Each_event_is_one_json_line_readable_back_field_for_field()
    {
        using var dir = new TempDirectory();
        string path = dir.File("state", "events.jsonl");
        var anomaly = new DeviceEvent(new DateTimeOffset(2026, 11, 29, 18, 0, 0, TimeSpan.Zero), "greenhouse", "sensor-stgnn", "2.1.0", DeviceEventKind.Anomaly, AnomalousSensors: ["temp_r1", "rh_r1"], LatencyUs: 812.5);
        using (var log = new EventLog(path))
        {
            log.Publish(EventRingTests.Event(1));
            log.Publish(anomaly);
            Assert.Equal(2, log.Written);
        }

        string[] lines = File.ReadAllText(path).Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal(string.Empty, lines[2]);
        Assert.Equal("""{"time":"2026-11-29T18:00:00+00:00","pipeline":"greenhouse","model":"sensor-stgnn","version":"2.1.0","kind":"anomaly","anomalousSensors":["temp_r1","rh_r1"],"latencyUs":812.5}""", lines[1]);

        EventLogContent content = EventLogReader.Read(path);
        Assert.False(content.TornTail);
        Assert.Empty(content.MalformedLines);
        Assert.Equal("label1", content.Events[0].Label);
        Assert.Equal(0.01, content.Events[0].Probability);
        Assert.Equal(DeviceEventKind.Anomaly, content.Events[1].Kind);
        Assert.Equal(["temp_r1", "rh_r1"], content.Events[1].AnomalousSensors!);
        Assert.Equal(812.5, content.Events[1].LatencyUs);
    }

    [Fact]
    public void Lines_are_on_disk_as_soon_as_publish_returns()
    {
        using var dir = new TempDirectory();
        string path = dir.File("events.jsonl");
        using var log = new EventLog(path);
        log.Publish(EventRingTests.Event(1));

        // Read through a second handle while the log is still open: nothing waits in a user-space buffer.
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Assert.Single(EventLogReader.Read(path).Events);
    }

    [Fact]
    public void Rotation_keeps_keepFiles_old_files_newest_in_dot_1()
    {
        using var dir = new TempDirectory();
        string path = dir.File("events.jsonl");
        int lineBytes = Encoding.UTF8.GetByteCount(LineOf(EventRingTests.Event(1)));
        using (var log = new EventLog(path, maxFileBytes: (2 * lineBytes) + 1, keepFiles: 2))
        {
            for (int i = 1; i <= 9; i++)
            {
                log.Publish(EventRingTests.Event(i));
            }
        }

        // Two lines fit per file: 9 events -> [1,2] [3,4] [5,6] [7,8] [9]; the two oldest files are gone.
        Assert.Equal(["label9"], Labels(path));
        Assert.Equal(["label7", "label8"], Labels(path + ".1"));
        Assert.Equal(["label5", "label6"], Labels(path + ".2"));
        Assert.False(File.Exists(path + ".3"));
    }

    [Fact]
    public void A_torn_last_line_is_skipped_by_the_reader_and_cut_when_the_log_opens()
    {
        using var dir = new TempDirectory();
        string path = dir.File("events.jsonl");
        using (var log = new EventLog(path))
        {
            log.Publish(EventRingTests.Event(1));
            log.Publish(EventRingTests.Event(2));
        }

        string whole = File.ReadAllText(path);
        File.AppendAllText(path, "{\"time\":\"2026-11-29T18:0");

        EventLogContent torn = EventLogReader.Read(path);
        Assert.True(torn.TornTail);
        Assert.Equal(["label1", "label2"], torn.Events.Select(e => e.Label));

        using (var log = new EventLog(path))
        {
            Assert.Equal(whole, File.ReadAllText(path));
            log.Publish(EventRingTests.Event(3));
        }

        EventLogContent repaired = EventLogReader.Read(path);
        Assert.False(repaired.TornTail);
        Assert.Empty(repaired.MalformedLines);
        Assert.Equal(["label1", "label2", "label3"], repaired.Events.Select(e => e.Label));
    }

    [Fact]
    public void A_malformed_complete_line_is_reported_by_number_and_the_rest_is_read()
    {
        using var dir = new TempDirectory();
        string path = dir.File("events.jsonl");
        File.WriteAllText(path, LineOf(EventRingTests.Event(1)) + "not json\n" + LineOf(EventRingTests.Event(3)));
        EventLogContent content = EventLogReader.Read(path);
        Assert.Equal([2], content.MalformedLines);
        Assert.Equal(["label1", "label3"], content.Events.Select(e => e.Label));
    }

    [Fact]
    public void A_vanished_state_directory_counts_a_write_failure_and_the_log_recovers_when_it_returns()
    {
        using var dir = new TempDirectory();
        string state = dir.File("state");
        string path = Path.Combine(state, "events.jsonl");
        using var log = new EventLog(path);
        log.Publish(EventRingTests.Event(1));
        Directory.Delete(state, recursive: true);

        log.Publish(EventRingTests.Event(2));
        log.Publish(EventRingTests.Event(3));
        Assert.True(log.WriteFailures >= 1);

        Directory.CreateDirectory(state);
        log.Publish(EventRingTests.Event(4));
        Assert.Equal(["label4"], Labels(path));
    }

    private static string LineOf(DeviceEvent e) =>
        System.Text.Json.JsonSerializer.Serialize(e, EventJsonContext.Default.DeviceEvent) + "\n";

    private static string[] Labels(string path) => [.. EventLogReader.Read(path).Events.Select(e => e.Label ?? "")];
}
