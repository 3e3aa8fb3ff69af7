using System.Text.Json;
using GeoEdge.Host.Events;

namespace GeoEdge.Host.Tests.Events;

[Trait("Category", "Unit")]
public sealed class DeviceEventKindNamesTests
{
    [Fact]
    public void Every_kind_has_the_name_the_event_log_and_the_events_api_write()
    {
        foreach (DeviceEventKind kind in Enum.GetValues<DeviceEventKind>())
        {
            var e = new DeviceEvent(DateTimeOffset.UnixEpoch, "p", "m", "1", kind);
            using JsonDocument json = JsonDocument.Parse(JsonSerializer.Serialize(e, EventJsonContext.Default.DeviceEvent));

            Assert.Equal(json.RootElement.GetProperty("kind").GetString(), DeviceEventKindNames.Of(kind));
        }

        Assert.Equal("inference_error", DeviceEventKindNames.Of(DeviceEventKind.InferenceError));
    }

    [Fact]
    public void A_value_outside_the_enum_is_a_programmer_error() =>
        Assert.Throws<ArgumentOutOfRangeException>("kind", () => DeviceEventKindNames.Of((DeviceEventKind)99));
}
