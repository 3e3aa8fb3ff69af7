using GeoEdge.Host.Service;

namespace GeoEdge.Host.Tests.Service;

[Trait("Category", "Unit")]
public sealed class ErrorReportThrottleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_error_is_reported_at_once_and_later_ones_at_most_once_per_interval_with_their_count()
    {
        var throttle = new ErrorReportThrottle(TimeSpan.FromMinutes(1));
        var reports = new List<(int Second, long Errors)>();

        // One error a second for three minutes and a half: reports at 0 s (the first), 60 s, 120 s and 180 s.
        for (int second = 0; second <= 210; second++)
        {
            if (throttle.Count(T0.AddSeconds(second), out long errors))
            {
                reports.Add((second, errors));
            }
        }

        Assert.Equal([(0, 1L), (60, 60L), (120, 60L), (180, 60L)], reports);
    }

    [Fact]
    public void An_error_after_a_quiet_interval_is_reported_at_once_with_the_ones_held_back()
    {
        var throttle = new ErrorReportThrottle(TimeSpan.FromMinutes(1));
        Assert.True(throttle.Count(T0, out long first));
        Assert.False(throttle.Count(T0.AddSeconds(59), out long held));
        Assert.True(throttle.Count(T0.AddMinutes(10), out long late));
        Assert.Equal((1L, 0L, 2L), (first, held, late));
    }
}
