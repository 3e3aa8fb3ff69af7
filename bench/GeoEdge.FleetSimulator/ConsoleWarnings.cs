using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GeoEdge.FleetSimulator;

/// <summary>The run's log: warnings and errors are counted by event (the report lists them) and the first few of each
/// event are printed to stderr; everything below Warning is dropped (a thousand agents' Information is noise here).</summary>
internal sealed class ConsoleWarnings : ILoggerProvider, ILogger
{
    private const int PrintedPerEvent = 3;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Warnings and errors by "category/event name", so far.</summary>
    public IReadOnlyDictionary<string, int> Counts => new SortedDictionary<string, int>(_counts, StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        string key = $"{eventId.Id} {eventId.Name}";
        int seen = _counts.AddOrUpdate(key, 1, static (_, n) => n + 1);
        if (seen <= PrintedPerEvent)
        {
            Console.Error.WriteLine($"[{logLevel}] {formatter(state, exception)}{(exception is null ? "" : " (" + exception + ")")}");
        }
    }

    public void Dispose()
    {
    }
}
