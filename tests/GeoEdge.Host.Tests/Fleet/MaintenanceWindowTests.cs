using GeoEdge.Fleet.Contracts;

namespace GeoEdge.Host.Tests.Fleet;

/// <summary>MaintenanceWindow.Contains: Start inclusive, End exclusive, in UTC, wrapping midnight when Start &gt; End.</summary>
[Trait("Category", "Unit")]
public sealed class MaintenanceWindowTests
{
    [Theory]
    [InlineData("02:00", "04:00", "01:59:59", false)]
    [InlineData("02:00", "04:00", "02:00:00", true)]
    [InlineData("02:00", "04:00", "03:59:59", true)]
    [InlineData("02:00", "04:00", "04:00:00", false)]
    [InlineData("22:00", "04:00", "21:59:59", false)]
    [InlineData("22:00", "04:00", "22:00:00", true)]
    [InlineData("22:00", "04:00", "23:59:59", true)]
    [InlineData("22:00", "04:00", "00:00:00", true)]
    [InlineData("22:00", "04:00", "03:59:59", true)]
    [InlineData("22:00", "04:00", "04:00:00", false)]
    [InlineData("22:00", "04:00", "12:00:00", false)]
    [InlineData("03:00", "03:00", "17:00:00", true)]
    public void Contains_is_start_inclusive_end_exclusive_and_wraps_midnight(string start, string end, string at, bool inside)
    {
        var instant = new DateTimeOffset(new DateOnly(2026, 11, 29), TimeOnly.Parse(at, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero);

        Assert.Equal(inside, new MaintenanceWindow(start, end).Contains(instant));
    }

    [Fact]
    public void Contains_reads_the_instant_in_UTC_whatever_its_offset()
    {
        // Each instant's local time of day says the opposite of its UTC one.
        var window = new MaintenanceWindow("22:00", "02:00");

        Assert.False(window.Contains(new DateTimeOffset(2026, 11, 29, 23, 30, 0, TimeSpan.FromHours(2)))); // 21:30 UTC
        Assert.False(window.Contains(new DateTimeOffset(2026, 11, 30, 1, 30, 0, TimeSpan.FromHours(-4)))); // 05:30 UTC
        Assert.True(window.Contains(new DateTimeOffset(2026, 11, 30, 5, 30, 0, TimeSpan.FromHours(5)))); // 00:30 UTC
    }

    [Theory]
    [InlineData("2:00", "04:00", "StartUtc")]
    [InlineData("02:00", "24:00", "EndUtc")]
    [InlineData("02:00", "", "EndUtc")]
    public void A_malformed_time_is_a_FormatException_naming_the_field(string start, string end, string field)
    {
        FormatException e = Assert.Throws<FormatException>(() => new MaintenanceWindow(start, end).Contains(DateTimeOffset.UnixEpoch));

        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("22:00", "04:00", null)]
    [InlineData("00:00", "23:59", null)]
    [InlineData("03:00", "03:00", null)] // the device stays tolerant: the whole day (the server refuses it at creation)
    [InlineData("25:00", "04:00", "maintenance window StartUtc '25:00' is not HH:mm (UTC)")]
    [InlineData("22:00", "24:00", "maintenance window EndUtc '24:00' is not HH:mm (UTC)")]
    [InlineData("2200", "04:00", "maintenance window StartUtc '2200' is not HH:mm (UTC)")]
    [InlineData(null, "04:00", "maintenance window StartUtc '' is not HH:mm (UTC)")]
    public void Problem_names_the_first_malformed_time_or_is_null(string? start, string end, string? problem)
    {
        var window = new MaintenanceWindow(start!, end);

        Assert.Equal(problem, window.Problem());
        Assert.Equal(problem is null, MaintenanceWindow.IsTime(start) && MaintenanceWindow.IsTime(end));
        if (problem is not null)
        {
            Assert.Equal(problem, Assert.Throws<FormatException>(() => window.Contains(DateTimeOffset.UnixEpoch)).Message);
        }
    }
}
