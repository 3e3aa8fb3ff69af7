using GeoEdge.Host.Configuration;
using GeoEdge.Host.Events;
using GeoEdge.Host.Service;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Tests.Service;

/// <summary>The drift event rule: once per crossing of the threshold, after the minimum inputs, re-armed below 80% of it.</summary>
[Trait("Category", "Unit")]
public sealed class DriftAlarmTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    // extent: reference mean 8, std 2 -> a live extent e scores |e - 8| / 2 (the plain mean over the first 100 inputs).
    private static DriftMonitor Monitor() => DriftMonitor.Create(
        new DriftReference { Features = [new FeatureStatistics { Name = "extent", Mean = 8, Std = 2 }] }, CloudDriftFeatures.Names)!;

    [Fact]
    public void One_event_when_the_running_score_reaches_the_threshold_after_the_minimum_inputs()
    {
        var alarm = new DriftAlarm(new DriftOptions { Threshold = 3, MinInputs = 3 });
        DriftMonitor monitor = Monitor();
        var events = new List<DeviceEvent>();

        // Inputs of extent 16 score 4 from the first one, but the first two are too few to judge.
        for (int i = 0; i < 5; i++)
        {
            Feed(monitor, 16);
            if (alarm.Check(T0.AddSeconds(i), "shapes", "shapes-dgcnn", "1.2.0", monitor) is { } e)
            {
                events.Add(e);
            }
        }

        DeviceEvent only = Assert.Single(events);
        Assert.Equal((T0.AddSeconds(2), "shapes", "shapes-dgcnn", "1.2.0", DeviceEventKind.Drift, "extent"), (only.Time, only.Pipeline, only.Model, only.Version, only.Kind, only.Label));
        Assert.Equal("input drift 4.00 >= 3: the live mean of 'extent' is 4.00 reference standard deviations from the bundle's (about the last 100 inputs)", only.Detail);
    }

    [Fact]
    public void The_rule_re_arms_only_below_80_percent_of_the_threshold_and_a_new_monitor_starts_armed()
    {
        var alarm = new DriftAlarm(new DriftOptions { Threshold = 3, MinInputs = 1 });
        DriftMonitor monitor = Monitor();

        Feed(monitor, 16); // mean 16: 4 -> event
        bool first = Check(alarm, monitor);
        Feed(monitor, 10); // mean 13: 2.5, not below 2.4: stays disarmed
        bool hovering = Check(alarm, monitor);
        Feed(monitor, 16); // mean 14: 3 again, but disarmed: no second event
        bool backUp = Check(alarm, monitor);
        Feed(monitor, 0);
        Feed(monitor, 0); // mean 42 / 5 = 8.4: 0.2 -> re-armed
        bool low = Check(alarm, monitor);
        Feed(monitor, 50); // mean 92 / 6 = 15.33: 3.67 -> event
        bool again = Check(alarm, monitor);
        DriftMonitor fresh = Monitor();
        Feed(fresh, 16);
        bool swapped = Check(alarm, fresh);

        Assert.Equal([true, false, false, false, true, true], [first, hovering, backUp, low, again, swapped]);
    }

    [Fact]
    public void Disabled_events_or_a_bundle_without_a_reference_publish_nothing()
    {
        DriftMonitor monitor = Monitor();
        Feed(monitor, 100);

        Assert.False(Check(new DriftAlarm(new DriftOptions { Events = false, MinInputs = 1 }), monitor));
        Assert.Null(new DriftAlarm(new DriftOptions { MinInputs = 1 }).Check(T0, "p", "m", "v", null));
    }

    private static bool Check(DriftAlarm alarm, DriftMonitor monitor) => alarm.Check(T0, "shapes", "shapes-dgcnn", "1.2.0", monitor) is not null;

    private static void Feed(DriftMonitor monitor, double extent) => monitor.Record([1024, 0, extent, 10, 0.7]);
}
