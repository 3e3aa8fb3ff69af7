using System.Text.Json;

namespace GeoEdge.Host.Events;

/// <summary>What <see cref="EventLogReader.Read"/> found in an event log file.</summary>
/// <param name="Events">Complete, well-formed lines in file order (oldest first).</param>
/// <param name="MalformedLines">1-based numbers of complete lines that did not parse (a hand edit, a disk fault).</param>
/// <param name="TornTail">True when the file ends in a partial line (a crash mid-write); it is not an error.</param>
public sealed record EventLogContent(IReadOnlyList<DeviceEvent> Events, IReadOnlyList<int> MalformedLines, bool TornTail);

/// <summary>Reads an event log written by <see cref="EventLog"/>, tolerating a torn last line.</summary>
public static class EventLogReader
{
    public static EventLogContent Read(string path)
    {
        byte[] content = File.ReadAllBytes(path);
        var events = new List<DeviceEvent>();
        var malformed = new List<int>();
        int start = 0;
        int lineNumber = 0;
        while (start < content.Length)
        {
            int end = Array.IndexOf(content, (byte)'\n', start);
            if (end < 0)
            {
                return new EventLogContent(events, malformed, TornTail: true);
            }

            lineNumber++;
            try
            {
                events.Add(JsonSerializer.Deserialize(content.AsSpan(start, end - start), EventJsonContext.Default.DeviceEvent));
            }
            catch (JsonException)
            {
                malformed.Add(lineNumber);
            }

            start = end + 1;
        }

        return new EventLogContent(events, malformed, TornTail: false);
    }
}
