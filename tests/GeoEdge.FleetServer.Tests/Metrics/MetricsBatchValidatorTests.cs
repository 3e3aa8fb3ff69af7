using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Metrics;
using static GeoEdge.FleetServer.Tests.Metrics.MetricsFixture;

namespace GeoEdge.FleetServer.Tests.Metrics;

[Trait("Category", "Unit")]
public sealed class MetricsBatchValidatorTests
{
    [Fact]
    public void A_well_formed_batch_passes()
    {
        MetricsBatchValidator.Validate(Batch(1, 5, 8));
    }

    public static TheoryData<string, MetricsBatch> BadRows()
    {
        MetricsBatch ok = Batch(1, 5, 7);
        MetricsWindow w = ok.Records[1];
        MetricsBatch With(MetricsWindow changed) => ok with { Records = [ok.Records[0], changed, ok.Records[2]] };
        return new TheoryData<string, MetricsBatch>
        {
            { "records", ok with { Records = [] } },
            { "firstSeq", ok with { FirstSeq = 4 } },
            { "lastSeq", ok with { LastSeq = 9 } },
            { "records[2].seq", ok with { Records = [ok.Records[0], ok.Records[2], ok.Records[2]], LastSeq = 7 } },
            { "records[1].seq", ok with { Records = [ok.Records[1], ok.Records[0], ok.Records[2]], FirstSeq = 6 } },
            { "records[1].model", With(w with { Model = "" }) },
            { "records[1].errors", With(w with { Errors = 101 }) },
            { "records[1].oodCount", With(w with { OodCount = -1 }) },
            { "records[1].confidenceHistogram", With(w with { ConfidenceHistogram = [1, 2, 3] }) },
            { "records[1].confidenceHistogram[4]", With(w with { ConfidenceHistogram = [0, 0, 0, 0, -1, 0, 0, 0, 0, 0] }) },
            { "records[1].latencyCounts", With(w with { LatencyCounts = [1, 2, 3] }) },
            { "records[1].latencyBoundsMs[1]", With(w with { LatencyBoundsMs = [10, 10, 50] }) },
            { "records[1].latencyBoundsMs", With(w with { LatencyBoundsMs = [], LatencyCounts = [1] }) },
            { "records[1].rejections.nan", With(w with { Rejections = new Dictionary<string, long> { ["nan"] = -2 } }) },
            { "records[1].end", With(w with { End = w.Start.AddSeconds(-1) }) },
            { "records[1].driftScore", With(w with { DriftScore = -0.5 }) },
            { "records[1].driftScore", With(w with { DriftScore = double.PositiveInfinity }) },
        };
    }

    [Theory]
    [MemberData(nameof(BadRows))]
    public void A_malformed_batch_names_the_field(string field, MetricsBatch batch)
    {
        MetricsBatchException e = Assert.Throws<MetricsBatchException>(() => MetricsBatchValidator.Validate(batch));

        Assert.Equal(field, e.Field);
    }
}
