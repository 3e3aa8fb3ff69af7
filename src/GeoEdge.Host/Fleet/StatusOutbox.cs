using System.Globalization;
using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Fleet;

/// <summary>Action statuses on their way to the server: each one a durable file (outbox/&lt;n&gt;.json) with the
/// Idempotency-Key it got when written, sent in order, deleted only once the server took it (2xx) or said the action is
/// gone (410). Never dropped otherwise: a resend after a crash carries the same key, so the server sees a replay.</summary>
public sealed class StatusOutbox : IDisposable
{
    private readonly string _directory;
    private readonly FleetClient _client;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<(long Index, OutboxEntry Entry)> _pending = [];
    private long _nextIndex;

    public StatusOutbox(string directory, FleetClient client, ILogger logger)
    {
        _directory = directory;
        _client = client;
        _logger = logger;
        Directory.CreateDirectory(directory);
        foreach (string file in Directory.EnumerateFiles(directory, "*.json"))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out long index))
            {
                OutboxEntry entry = JsonSerializer.Deserialize(File.ReadAllBytes(file), AgentJsonContext.Default.OutboxEntry)
                    ?? throw new InvalidDataException($"{file}: empty outbox entry");
                _pending.Add((index, entry));
                _nextIndex = Math.Max(_nextIndex, index + 1);
            }
        }

        _pending.Sort(static (a, b) => a.Index.CompareTo(b.Index));
    }

    /// <summary>Statuses not yet delivered, oldest first.</summary>
    public IReadOnlyList<OutboxEntry> Pending
    {
        get
        {
            lock (_pending)
            {
                return _pending.ConvertAll(p => p.Entry);
            }
        }
    }

    /// <summary>Writes a status durably; a status already queued for (action, seq) is kept as it is, key included.</summary>
    public OutboxEntry Enqueue(string actionId, ActionStatusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_pending)
        {
            foreach ((long _, OutboxEntry queued) in _pending)
            {
                if (queued.ActionId == actionId && queued.Seq == report.Seq)
                {
                    return queued;
                }
            }

            var entry = new OutboxEntry(actionId, report.Seq, Guid.NewGuid().ToString("N"), report);
            long index = _nextIndex++;
            DurableFile.Write(PathOf(index), JsonSerializer.SerializeToUtf8Bytes(entry, AgentJsonContext.Default.OutboxEntry));
            _pending.Add((index, entry));
            return entry;
        }
    }

    /// <summary>Sends what is queued, in order, until the queue is empty or the server cannot take more now.</summary>
    /// <returns>The actions the server answered 410 for (their statuses are deleted: the action is no longer current).</returns>
    public async Task<IReadOnlySet<string>> DrainAsync(CancellationToken cancellationToken)
    {
        var gone = new HashSet<string>(StringComparer.Ordinal);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (First() is { } next)
            {
                bool current;
                try
                {
                    current = await _client.PostStatusAsync(next.Entry.ActionId, next.Entry.IdempotencyKey, next.Entry.Report, cancellationToken).ConfigureAwait(false);
                }
                catch (FleetRequestException e)
                {
                    Log.OutboxRefused(_logger, next.Entry.ActionId, next.Entry.Seq, e.Status ?? 0, e.Message);
                    break; // transient: later; other 4xx: kept (never dropped) and reported in the log
                }

                if (current)
                {
                    Remove(next.Index);
                }
                else
                {
                    gone.Add(next.Entry.ActionId);
                    RemoveAction(next.Entry.ActionId);
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return gone;
    }

    public void Dispose() => _gate.Dispose();

    private (long Index, OutboxEntry Entry)? First()
    {
        lock (_pending)
        {
            return _pending.Count > 0 ? _pending[0] : null;
        }
    }

    private void Remove(long index)
    {
        lock (_pending)
        {
            _pending.RemoveAll(p => p.Index == index);
        }

        DurableFile.Delete(PathOf(index));
    }

    private void RemoveAction(string actionId)
    {
        List<long> indices;
        lock (_pending)
        {
            indices = _pending.FindAll(p => p.Entry.ActionId == actionId).ConvertAll(p => p.Index);
        }

        foreach (long index in indices)
        {
            Remove(index);
        }
    }

    private string PathOf(long index) => Path.Combine(_directory, index.ToString("D12", CultureInfo.InvariantCulture) + ".json");
}
