using System.Globalization;
using System.Text;

namespace GeoEdge.FleetServer.Metrics;

/// <summary>Writes the fleet's GET /metrics in the Prometheus text format 0.0.4.</summary>
public static class FleetPrometheusText
{
    /// <summary>The Content-Type of the scrape answer.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(FleetMetricsSnapshot snapshot, IReadOnlyList<KeyValuePair<RequestKey, long>> requests)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(requests);
        var text = new StringBuilder();
        Family(text, "geoedge_fleet_devices", "Enrolled devices by status.", "gauge");
        foreach (KeyValuePair<string, long> p in snapshot.DevicesByStatus.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Sample(text, "geoedge_fleet_devices", [("status", p.Key)], p.Value);
        }

        Family(text, "geoedge_fleet_rollouts", "Rollouts by state.", "gauge");
        foreach (KeyValuePair<string, long> p in snapshot.RolloutsByState.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Sample(text, "geoedge_fleet_rollouts", [("state", p.Key)], p.Value);
        }

        Family(text, "geoedge_fleet_rollout_stage_devices", "Devices of a rollout stage by action status (assigned = all of the stage's actions).", "gauge");
        foreach (StageDeviceCount s in snapshot.StageDevices)
        {
            Sample(text, "geoedge_fleet_rollout_stage_devices", [("rollout", s.RolloutId), ("stage", s.Stage), ("status", s.Status)], s.Devices);
        }

        Family(text, "geoedge_fleet_metric_windows_ingested_total", "Device metric windows stored (exactly once per device, epoch and seq).", "counter");
        Sample(text, "geoedge_fleet_metric_windows_ingested_total", [], snapshot.MetricWindowsStored);
        Family(text, "geoedge_fleet_http_requests_total", "HTTP requests served by this replica by route, method and status.", "counter");
        foreach (KeyValuePair<RequestKey, long> r in requests)
        {
            Sample(text, "geoedge_fleet_http_requests_total",
                [("route", r.Key.Route), ("method", r.Key.Method), ("status", r.Key.Status.ToString(CultureInfo.InvariantCulture))], r.Value);
        }

        return text.ToString();
    }

    private static void Family(StringBuilder text, string name, string help, string type) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, (string Name, string Value)[] labels, long value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                text.Append(i == 0 ? "" : ",").Append(labels[i].Name).Append("=\"");
                foreach (char c in labels[i].Value)
                {
                    text.Append(c switch { '\\' => "\\\\", '"' => "\\\"", '\n' => "\\n", _ => c.ToString() });
                }

                text.Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
