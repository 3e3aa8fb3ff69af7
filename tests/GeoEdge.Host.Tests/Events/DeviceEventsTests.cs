using GeoEdge.Host.Events;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Tests.Events;

[Trait("Category", "Unit")]
public sealed class DeviceEventsTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_classification_carries_label_confidence_and_total_latency_and_ood_changes_its_kind()
    {
        DeviceEvent e = DeviceEvents.FromClassification(T, "shapes", "shapes-dgcnn", "1.0.0", Cloud(ood: false));
        Assert.Equal(new DeviceEvent(T, "shapes", "shapes-dgcnn", "1.0.0", DeviceEventKind.Classification, "torus", 0.625, LatencyUs: 280), e);
        Assert.Equal(DeviceEventKind.Ood, DeviceEvents.FromClassification(T, "shapes", "shapes-dgcnn", "1.0.0", Cloud(ood: true)).Kind);
    }

    [Fact]
    public void A_rejection_names_its_reason_and_detail()
    {
        DeviceEvent e = DeviceEvents.FromClassification(T, "shapes", "m", "1", PipelineResult<CloudClassification>.Rejected(RejectionReason.OutOfBounds, "x = 99 at point 3"));
        Assert.Equal(DeviceEventKind.Rejection, e.Kind);
        Assert.Equal("OutOfBounds", e.Label);
        Assert.Equal("x = 99 at point 3", e.Detail);
    }

    [Fact]
    public void A_sensor_window_reports_only_its_flagged_sensors_and_a_quiet_window_reports_nothing()
    {
        SensorScore[] sensors =
        [
            new(0, "temp_r1", 3f, 1f, true, 0, SensorImputation.None, 0),
            new(1, "rh_r1", 0f, 1f, false, 0, SensorImputation.None, 0),
            new(2, "temp_r2", 2f, 1f, true, 0, SensorImputation.None, 0),
        ];
        DeviceEvent? e = DeviceEvents.FromSensorWindow(T, "greenhouse", "sensor-stgnn", "2.0.0", PipelineResult<SensorWindowScores>.Success(new SensorWindowScores(T, sensors, new SensorTimings(1, 2, 3, 4))));
        Assert.Equal(DeviceEventKind.Anomaly, e!.Value.Kind);
        Assert.Equal(["temp_r1", "temp_r2"], e.Value.AnomalousSensors!);
        Assert.Equal(10, e.Value.LatencyUs);

        SensorScore[] quiet = [new(0, "temp_r1", 0f, 1f, false, 0, SensorImputation.None, 0)];
        Assert.Null(DeviceEvents.FromSensorWindow(T, "greenhouse", "sensor-stgnn", "2.0.0", PipelineResult<SensorWindowScores>.Success(new SensorWindowScores(T, quiet, new SensorTimings(1, 2, 3, 4)))));
    }

    [Fact]
    public void A_sensor_window_outside_the_training_inputs_is_an_ood_event_with_its_score_and_any_flagged_sensors()
    {
        SensorScore[] quiet = [new(0, "temp_r1", 0f, 1f, false, 0, SensorImputation.None, 0)];
        SensorScore[] flagged = [new(0, "temp_r1", 3f, 1f, true, 0, SensorImputation.None, 0)];
        var verdict = new SensorOodVerdict("drift-max", 7.25, 3.1786, true);

        DeviceEvent? alone = DeviceEvents.FromSensorWindow(T, "greenhouse", "sensor-stgnn", "2.0.0",
            PipelineResult<SensorWindowScores>.Success(new SensorWindowScores(T, quiet, new SensorTimings(1, 2, 3, 4)) { Ood = verdict }));
        DeviceEvent? both = DeviceEvents.FromSensorWindow(T, "greenhouse", "sensor-stgnn", "2.0.0",
            PipelineResult<SensorWindowScores>.Success(new SensorWindowScores(T, flagged, new SensorTimings(1, 2, 3, 4)) { Ood = verdict }));
        DeviceEvent? inside = DeviceEvents.FromSensorWindow(T, "greenhouse", "sensor-stgnn", "2.0.0",
            PipelineResult<SensorWindowScores>.Success(new SensorWindowScores(T, quiet, new SensorTimings(1, 2, 3, 4)) { Ood = verdict with { Value = 1.5, IsOutOfDistribution = false } }));

        Assert.Equal(DeviceEventKind.Ood, alone!.Value.Kind);
        Assert.Empty(alone.Value.AnomalousSensors!);
        Assert.Equal("drift-max 7.25 above its threshold 3.179: the window's scores are not to be trusted", alone.Value.Detail);
        Assert.Equal(DeviceEventKind.Ood, both!.Value.Kind);
        Assert.Equal(["temp_r1"], both.Value.AnomalousSensors!);
        Assert.Null(inside);
    }

    private static PipelineResult<CloudClassification> Cloud(bool ood) =>
        PipelineResult<CloudClassification>.Success(new CloudClassification(
            5, "torus", 0.625, [], new OodAssessment("energy", 0, 0, ood, 0, null), 1024, 0, 0, [], new PointCloudTimings(10, 20, 30, 40, 50, 60, 70)));
}
