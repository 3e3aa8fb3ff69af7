using GeoEdge.Host.Events;
using GeoEdge.Host.Service;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Tests.Service;

[Trait("Category", "Unit")]
public sealed class LogEventSinkTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 30, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_inference_error_is_logged_with_the_events_api_name_of_its_kind()
    {
        var logger = new TextLogger<LogEventSink>();
        var sink = new LogEventSink(logger);

        sink.Publish(DeviceEvents.FromError(T, "shapes", "shapes-dgcnn", "1.0.0", new InvalidOperationException("tensor shape"), 3));

        (EventId id, string text) = Assert.Single(logger.Lines);
        Assert.Equal(2020, id.Id);
        Assert.Equal("shapes shapes-dgcnn 1.0.0: inference_error InvalidOperationException in 0.00 ms; 3 errors since the last report; the last: tensor shape", text);
    }

    [Fact]
    public void A_classification_keeps_its_name_label_and_confidence()
    {
        var logger = new TextLogger<LogEventSink>();
        var sink = new LogEventSink(logger);

        sink.Publish(new DeviceEvent(T, "shapes", "shapes-dgcnn", "1.0.0", DeviceEventKind.Classification, "torus", 0.625, LatencyUs: 2500, Detail: "1024 points"));

        Assert.Equal("shapes shapes-dgcnn 1.0.0: classification torus p=0.625 in 2.50 ms; 1024 points", Assert.Single(logger.Lines).Text);
    }

    /// <summary>An ILogger (Microsoft's interface) that keeps each entry's event id and formatted text.</summary>
    private sealed class TextLogger<TCategory> : ILogger<TCategory>
    {
        public List<(EventId Id, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((eventId, formatter(state, exception)));
    }
}
