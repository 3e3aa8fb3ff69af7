using GeoEdge.FleetSimulator;

namespace GeoEdge.FleetServer.Tests.Bench;

/// <summary>The fleet simulator's exactly-once audit (bench/GeoEdge.FleetSimulator/WindowAuditor.cs, linked here): the
/// benchmark exits 1 on what it finds, so it must find a lost and a duplicated window and nothing in a clean set.</summary>
[Trait("Category", "Unit")]
public sealed class WindowAuditorTests
{
    // d1 sent epoch 7 seqs 1..4, all acknowledged; d2 sent epoch 3 seqs 1..3 and seq 3 is still pending (unacknowledged).
    private static readonly QueueState[] Queues = [new("d1", 7, 5, 0), new("d2", 3, 4, 1), new(null, 0, 1, 0)];

    private static WindowRow Row(string device, long epoch, long seq, long start, long inferences = 10) =>
        new(device, epoch, seq, "sensor-stgnn", "1.0.0", start, inferences);

    [Fact]
    public void A_clean_set_has_no_findings()
    {
        WindowRow[] rows = [Row("d1", 7, 1, 0), Row("d1", 7, 2, 60), Row("d1", 7, 3, 120), Row("d1", 7, 4, 180), Row("d2", 3, 1, 0), Row("d2", 3, 2, 60)];

        AuditResult audit = WindowAuditor.Audit(rows, Queues, inferencesRecorded: 60);

        Assert.Empty(audit.Findings);
        Assert.Equal((7L, 6L, 1L, 0L, 0L, 60L, 60L), (audit.WindowsSent, audit.RowsInDatabase, audit.Pending, audit.Lost, audit.Duplicated, audit.InferencesRecorded, audit.InferencesInDatabase));
        Assert.False(audit.Clean); // one window is still pending: the bench drains queues before it audits, so this fails it
        Assert.True(WindowAuditor.Audit(rows[..4], [Queues[0]], 40).Clean);
    }

    [Fact]
    public void One_lost_and_one_duplicated_window_are_both_reported()
    {
        // d1's seq 3 never arrived although acknowledged; the window of seq 2 (start 60) came back under seq 4.
        WindowRow[] rows = [Row("d1", 7, 1, 0), Row("d1", 7, 2, 60), Row("d1", 7, 4, 60), Row("d2", 3, 1, 0), Row("d2", 3, 2, 60)];

        AuditResult audit = WindowAuditor.Audit(rows, Queues, inferencesRecorded: 60);

        Assert.Equal(
        [
            new WindowFinding(WindowFindingKind.Duplicated, "d1", 7, 4, "sensor-stgnn 1.0.0 window starting 60 is stored under seq 2 and again under seq 4"),
            new WindowFinding(WindowFindingKind.Lost, "d1", 7, 3, "acknowledged, but no row"),
        ], audit.Findings);
        Assert.Equal((1L, 1L, 50L), (audit.Lost, audit.Duplicated, audit.InferencesInDatabase));
        Assert.False(audit.Clean);
    }

    [Fact]
    public void A_row_no_device_sent_counts_against_exactly_once()
    {
        WindowRow[] rows = [Row("d1", 7, 1, 0), Row("d1", 7, 2, 60), Row("d1", 7, 3, 120), Row("d1", 7, 4, 180), Row("d1", 6, 1, 240), Row("d9", 1, 1, 0)];

        AuditResult audit = WindowAuditor.Audit(rows, [Queues[0]], inferencesRecorded: 60);

        Assert.Equal(
        [
            "unexpected: d1 epoch 6 seq 1: the device sent epoch 7 seqs 1..4",
            "unexpected: d9 epoch 1 seq 1: no such device sent windows",
        ], audit.Findings.Select(f => f.ToString()));
        Assert.Equal((0L, 2L), (audit.Lost, audit.Duplicated));
    }
}
