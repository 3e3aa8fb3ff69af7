using GeoEdge.Sensors.Replay;
using GeoEdge.Sensors.Sources;

namespace GeoEdge.Sensors.Tests.Replay;

public sealed class SensorCsvReplayTests : IDisposable
{
    private static readonly TimeSpan Tenth = TimeSpan.FromMilliseconds(100);
    private static readonly DateTimeOffset Midnight = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<List<SensorReading>> ReadAllAsync(SensorCsvReplay replay, CountingClock time, int count)
    {
        var readings = new List<SensorReading>();
        await using var items = replay.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        for (int i = 0; i < count; i++)
        {
            readings.Add(await Paced.NextAsync(items, time, Tenth));
        }

        await Paced.EndAsync(items, time, Tenth);

        return readings;
    }

    [Fact]
    [Trait("Category", "Unit")]
    public async Task Rows_become_readings_at_their_recorded_time_and_missing_cells_are_counted()
    {
        string file = _dir.Write("rec.csv",
            "time,temp_r1,rh_r1\n" +
            "2024-01-01T00:00:00,1.5,2\n" +
            "2024-01-01T00:05:00,,NaN\n" +
            "2024-01-01T00:10:00+00:00,3,-4.25\n");
        var time = Paced.Clock();
        var replay = new SensorCsvReplay(file, new ReplayOptions(RateHz: 10, Loop: false), time);

        List<SensorReading> readings = await ReadAllAsync(replay, time, 4);

        Assert.Equal(
            [
                new SensorReading("temp_r1", Midnight, 1.5f),
                new SensorReading("rh_r1", Midnight, 2f),
                new SensorReading("temp_r1", Midnight.AddMinutes(10), 3f),
                new SensorReading("rh_r1", Midnight.AddMinutes(10), -4.25f),
            ],
            readings);
        Assert.Equal((3L, 2L, 0L), (replay.Counters.Frames, replay.Counters.Lost, replay.Counters.Errors));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public async Task Time_may_be_seconds_since_the_epoch()
    {
        string file = _dir.Write("rec.csv", "time,a\n1704067200,1\n1704067500.5,2\n");
        var time = Paced.Clock();
        var replay = new SensorCsvReplay(file, new ReplayOptions(10, false), time);

        List<SensorReading> readings = await ReadAllAsync(replay, time, 2);

        Assert.Equal([Midnight, Midnight.AddSeconds(300.5)], readings.Select(r => r.Time));
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task A_malformed_row_is_skipped_and_its_error_names_file_line_and_column()
    {
        string file = _dir.Write("rec.csv",
            "time,a,b\n" +
            "2024-01-01T00:00:00,1,2\n" +
            "2024-01-01T00:05:00,1,two\n" +
            "2024-01-01T00:10:00,1\n" +
            "yesterday,1,2\n" +
            "2024-01-01T00:15:00,5,6\n");
        var time = Paced.Clock();
        var replay = new SensorCsvReplay(file, new ReplayOptions(10, false), time);
        var errors = new List<(int, int)>();

        var readings = new List<SensorReading>();
        await using (var items = replay.ReadAsync(CancellationToken.None).GetAsyncEnumerator())
        {
            for (int i = 0; i < 4; i++)
            {
                readings.Add(await Paced.NextAsync(items, time, Tenth));
                if (replay.Counters.LastError is SensorCsvFormatException e && (errors.Count == 0 || errors[^1] != (e.Line, e.Column)))
                {
                    errors.Add((e.Line, e.Column));
                }
            }

            await Paced.EndAsync(items, time, Tenth);
        }

        Assert.Equal([1f, 2f, 5f, 6f], readings.Select(r => r.Value));
        Assert.Equal((2L, 3L), (replay.Counters.Frames, replay.Counters.Errors));
        var last = Assert.IsType<SensorCsvFormatException>(replay.Counters.LastError);
        Assert.Equal((file, 5, 1), (last.File, last.Line, last.Column));
        Assert.Contains("yesterday", last.Message, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Category", "Fault")]
    [InlineData("time,a,b\n2024-01-01T00:00:00,1,two\n", 2, 3)]
    [InlineData("time,a,b\n2024-01-01T00:00:00,1\n", 2, 2)]
    [InlineData("time,a,b\n2024-01-01T00:00:00,1,2,3\n", 2, 4)]
    [InlineData("time,a,b\n2024-01-01T00:00:00,1,inf\n", 2, 3)]
    [InlineData("stamp,a\n", 1, 1)]
    [InlineData("time,a,a\n", 1, 3)]
    [InlineData("time,,b\n", 1, 2)]
    [InlineData("time\n", 1, 2)]
    [InlineData("", 1, 1)]
    public async Task Each_kind_of_error_names_its_line_and_column(string content, int line, int column)
    {
        string file = _dir.Write("bad.csv", content);
        var time = Paced.Clock();
        var replay = new SensorCsvReplay(file, new ReplayOptions(10, Loop: true), time);

        await using var items = replay.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        await Paced.EndAsync(items, time, Tenth);

        var error = Assert.IsType<SensorCsvFormatException>(replay.Counters.LastError);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.StartsWith($"{file}:{line}:{column}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public async Task Looping_shifts_each_pass_by_the_recording_span_plus_one_step()
    {
        string file = _dir.Write("rec.csv", "time,a\n2024-01-01T00:00:00,1\n2024-01-01T00:05:00,2\n");
        var time = Paced.Clock();
        DateTimeOffset start = time.GetUtcNow();
        var replay = new SensorCsvReplay(file, new ReplayOptions(RateHz: 2, Loop: true), time);

        var readings = new List<SensorReading>();
        await using var items = replay.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        for (int i = 0; i < 5; i++)
        {
            readings.Add(await Paced.NextAsync(items, time, TimeSpan.FromMilliseconds(500)));
        }

        Assert.Equal([1f, 2f, 1f, 2f, 1f], readings.Select(r => r.Value));
        Assert.Equal([0, 300, 600, 900, 1200], readings.Select(r => (r.Time - Midnight).TotalSeconds));
        Assert.Equal(start + TimeSpan.FromSeconds(2), time.GetUtcNow());
    }
}
