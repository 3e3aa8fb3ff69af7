using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;
using GeoEdge.Sensors.Replay;
using GeoEdge.Sensors.Sources;

namespace GeoEdge.Sensors.Tests.Replay;

public sealed class PointCloudReplayTests : IDisposable
{
    private static readonly TimeSpan HalfSecond = TimeSpan.FromMilliseconds(500);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteCloud(string name, int points)
    {
        var positions = new float[points * 3];
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = i;
        }

        string path = _dir.File(name);
        PointCloudWriter.Write(path, new PointCloud(positions));
        return path;
    }

    [Fact]
    [Trait("Category", "Unit")]
    public async Task Directory_is_replayed_in_name_order_one_period_apart_then_ends()
    {
        WriteCloud("b.pcd", 2);
        WriteCloud("a.pcd", 1);
        WriteCloud("c.ply", 3);
        _dir.Write("notes.txt", "not a cloud");
        var time = Paced.Clock();
        DateTimeOffset start = time.GetUtcNow();
        var replay = new PointCloudReplay(_dir.Path, new ReplayOptions(RateHz: 2, Loop: false), time);

        await using var frames = replay.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        PointCloudFrame a = await Paced.NextAsync(frames, time, HalfSecond);
        PointCloudFrame b = await Paced.NextAsync(frames, time, HalfSecond);
        PointCloudFrame c = await Paced.NextAsync(frames, time, HalfSecond);
        await Paced.EndAsync(frames, time, HalfSecond);

        Assert.Equal(("a.pcd", 0L, 1, start), (a.Origin, a.FrameId, a.Cloud.Count, a.Timestamp));
        Assert.Equal(("b.pcd", 1L, 2, start + HalfSecond), (b.Origin, b.FrameId, b.Cloud.Count, b.Timestamp));
        Assert.Equal(("c.ply", 2L, 3, start + 2 * HalfSecond), (c.Origin, c.FrameId, c.Cloud.Count, c.Timestamp));
        Assert.Equal([0f, 1, 2, 3, 4, 5, 6, 7, 8], c.Cloud.Positions);
        Assert.Equal((3L, 0L), (replay.Counters.Frames, replay.Counters.Errors));
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task A_bad_file_is_counted_and_skipped_with_its_error_kept()
    {
        WriteCloud("a.pcd", 1);
        _dir.Write("b.pcd", "# .PCD v0.7\nVERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH 5\nHEIGHT 1\nPOINTS 5\nDATA binary\n\u0001");
        WriteCloud("c.pcd", 2);
        var time = Paced.Clock();
        var replay = new PointCloudReplay(_dir.Path, new ReplayOptions(2, false), time);

        var origins = new List<string>();
        await using var frames = replay.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        origins.Add((await Paced.NextAsync(frames, time, HalfSecond)).Origin);
        origins.Add((await Paced.NextAsync(frames, time, HalfSecond)).Origin);
        await Paced.EndAsync(frames, time, HalfSecond);

        Assert.Equal(["a.pcd", "c.pcd"], origins);
        Assert.Equal((2L, 1L), (replay.Counters.Frames, replay.Counters.Errors));
        var error = Assert.IsType<PointCloudFormatException>(replay.Counters.LastError);
        Assert.EndsWith("b.pcd", error.File, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public async Task Looping_starts_over_with_increasing_frame_ids()
    {
        string first = WriteCloud("x1.pcd", 1);
        string second = WriteCloud("x0.pcd", 2);
        var time = Paced.Clock();
        var replay = new PointCloudReplay([first, second], new ReplayOptions(4, Loop: true), time);

        var seen = new List<(long, string)>();
        await using var frames = replay.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        for (int i = 0; i < 5; i++)
        {
            PointCloudFrame frame = await Paced.NextAsync(frames, time, TimeSpan.FromMilliseconds(250));
            seen.Add((frame.FrameId, frame.Origin));
        }

        Assert.Equal([(0L, "x1.pcd"), (1L, "x0.pcd"), (2L, "x1.pcd"), (3L, "x0.pcd"), (4L, "x1.pcd")], seen);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task A_looping_pass_without_one_readable_file_ends_the_stream()
    {
        string bad = _dir.Write("bad.pcd", "garbage");
        string gone = _dir.File("gone.pcd");
        var time = Paced.Clock();
        var replay = new PointCloudReplay([bad, gone], new ReplayOptions(1, Loop: true), time);

        await using var frames = replay.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        await Paced.EndAsync(frames, time, TimeSpan.FromSeconds(1));

        Assert.Equal((0L, 2L), (replay.Counters.Frames, replay.Counters.Errors));
        Assert.IsAssignableFrom<IOException>(replay.Counters.LastError);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Bad_arguments_are_refused_at_construction()
    {
        var time = Paced.Clock();
        Assert.Throws<DirectoryNotFoundException>(() => new PointCloudReplay(_dir.File("missing"), new ReplayOptions(1, false), time));
        Assert.Throws<ArgumentException>(() => new PointCloudReplay(_dir.Path, new ReplayOptions(1, false), time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PointCloudReplay([_dir.File("a.pcd")], new ReplayOptions(0, false), time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PointCloudReplay([_dir.File("a.pcd")], new ReplayOptions(double.NaN, false), time));
    }
}
