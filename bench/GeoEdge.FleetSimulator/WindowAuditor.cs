using System.Text.Json.Serialization;

namespace GeoEdge.FleetSimulator;

/// <summary>The simulator's verdict on metrics delivery, from the stored rows and the devices' queues alone (no database,
/// so a test can hand it rows): every seq a device had acknowledged must be stored once (else lost), no window may be
/// stored twice under another seq (duplicated: same device, model, version and start), no row may carry a seq its device
/// never sent (unexpected), and the rows' inferences must add up to what the workload recorded.</summary>
internal static class WindowAuditor
{
    public static AuditResult Audit(IReadOnlyList<WindowRow> rows, IReadOnlyList<QueueState> queues, long inferencesRecorded)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(queues);
        var byDevice = new Dictionary<string, QueueState>(StringComparer.Ordinal);
        long sent = 0;
        long pending = 0;
        foreach (QueueState q in queues)
        {
            if (q.DeviceId is not null)
            {
                byDevice[q.DeviceId] = q;
                sent += q.NextSeq - 1;
                pending += q.Pending;
            }
        }

        var findings = new List<WindowFinding>();
        var present = new HashSet<(string, long, long)>();
        var windows = new Dictionary<(string, string, string, long), long>();
        long inferences = 0;
        foreach (WindowRow row in rows)
        {
            present.Add((row.Device, row.Epoch, row.Seq));
            if (!windows.TryAdd((row.Device, row.Model, row.Version, row.WindowStart), row.Seq))
            {
                long first = windows[(row.Device, row.Model, row.Version, row.WindowStart)];
                findings.Add(new WindowFinding(WindowFindingKind.Duplicated, row.Device, row.Epoch, row.Seq,
                    $"{row.Model} {row.Version} window starting {row.WindowStart} is stored under seq {first} and again under seq {row.Seq}"));
            }

            if (!byDevice.TryGetValue(row.Device, out QueueState? q) || q.Epoch != row.Epoch || row.Seq >= q.NextSeq)
            {
                findings.Add(new WindowFinding(WindowFindingKind.Unexpected, row.Device, row.Epoch, row.Seq,
                    q is null ? "no such device sent windows" : $"the device sent epoch {q.Epoch} seqs 1..{q.NextSeq - 1}"));
            }

            inferences += row.Inferences;
        }

        foreach (QueueState q in byDevice.Values)
        {
            // Seqs still pending were never acknowledged: their absence is not a loss (they are counted as pending).
            for (long seq = 1; seq < q.NextSeq - q.Pending; seq++)
            {
                if (!present.Contains((q.DeviceId!, q.Epoch, seq)))
                {
                    findings.Add(new WindowFinding(WindowFindingKind.Lost, q.DeviceId!, q.Epoch, seq, "acknowledged, but no row"));
                }
            }
        }

        long lost = findings.Count(f => f.Kind == WindowFindingKind.Lost);
        return new AuditResult(sent, rows.Count, pending, lost, findings.Count - lost, inferencesRecorded, inferences, findings);
    }
}

/// <summary>One metric_windows row as the audit needs it (the body reduced to its inference count).</summary>
internal sealed record WindowRow(string Device, long Epoch, long Seq, string Model, string Version, long WindowStart, long Inferences);

/// <summary>A device's metrics queue after the run: its epoch, the seq the next window would get (so seqs 1..NextSeq-1
/// were sent) and how many are still unacknowledged.</summary>
internal sealed record QueueState(string? DeviceId, long Epoch, long NextSeq, int Pending);

/// <summary>What is wrong with one window.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WindowFindingKind>))]
internal enum WindowFindingKind
{
    /// <summary>Acknowledged by the server, not stored.</summary>
    Lost,

    /// <summary>The same window stored again under another seq.</summary>
    Duplicated,

    /// <summary>A row whose device, epoch or seq no device sent.</summary>
    Unexpected,
}

/// <summary>One finding of <see cref="WindowAuditor"/>: which window, and why.</summary>
internal sealed record WindowFinding(WindowFindingKind Kind, string Device, long Epoch, long Seq, string Detail)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}: {Device} epoch {Epoch} seq {Seq}: {Detail}";
}

/// <summary>What <see cref="WindowAuditor"/> found.</summary>
/// <param name="WindowsSent">Windows the devices' queues numbered (all seqs handed out).</param>
/// <param name="RowsInDatabase">metric_windows rows.</param>
/// <param name="Pending">Windows still unacknowledged in the queues after the drain.</param>
/// <param name="Lost">Acknowledged windows with no row.</param>
/// <param name="Duplicated">Rows that repeat a window, or that no device sent.</param>
/// <param name="InferencesRecorded">Inferences the workload recorded into the devices' windows.</param>
/// <param name="InferencesInDatabase">Sum of the rows' inference counts.</param>
/// <param name="Findings">Each lost, duplicated or unexpected window, named.</param>
internal sealed record AuditResult(long WindowsSent, long RowsInDatabase, long Pending, long Lost, long Duplicated, long InferencesRecorded, long InferencesInDatabase,
    IReadOnlyList<WindowFinding> Findings)
{
    public bool Clean => Lost == 0 && Duplicated == 0 && Pending == 0 && InferencesRecorded == InferencesInDatabase;
}
