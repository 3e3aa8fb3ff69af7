using System.Text.Json;
using GeoEdge.Host.Configuration;
using GeoEdge.Host.Fleet;

namespace GeoEdge.Host.Cli;

/// <summary>`geoedge fleet status`: what the agent's files say (enrolled id, last desired version and its status, the
/// current action, statuses and metric windows waiting); reads only, so it is safe beside the running service.</summary>
internal static class FleetCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        if (args.Length == 0 || args[0] != "status")
        {
            throw new UsageException("fleet needs a verb: status (--state DIR | --config FILE)");
        }

        Arguments a = Arguments.Parse(args[1..]);
        a.RejectUnknown("--state", "--config");
        string state = a.Get("--state")
            ?? (a.Get("--config") is { } config ? DeviceConfiguration.Load(config, checkFiles: false).StateDirectory : null)
            ?? throw new UsageException("fleet status needs --state DIR or --config FILE");
        var files = new AgentFiles(state);
        if (File.Exists(files.Identity))
        {
            EnrolledIdentity identity = JsonSerializer.Deserialize(File.ReadAllBytes(files.Identity), AgentJsonContext.Default.EnrolledIdentity)!;
            stdout.WriteLine($"device:   {identity.DeviceId} (enrolled)");
        }
        else
        {
            stdout.WriteLine("device:   not enrolled");
        }

        if (File.Exists(files.Desired))
        {
            DesiredRecord desired = JsonSerializer.Deserialize(File.ReadAllBytes(files.Desired), AgentJsonContext.Default.DesiredRecord)!;
            stdout.WriteLine($"desired:  version {desired.LastDesiredVersion}: {desired.StatusCode} {desired.StatusDescription}{(desired.Reported ? string.Empty : " (not reported yet)")}");
        }
        else
        {
            stdout.WriteLine("desired:  none received");
        }

        if (File.Exists(files.Ota))
        {
            OtaRecord ota = JsonSerializer.Deserialize(File.ReadAllBytes(files.Ota), AgentJsonContext.Default.OtaRecord)!;
            string status = ota.Status is { } s ? JsonSerializer.Serialize(s, GeoEdge.Fleet.Contracts.FleetJsonContext.Default.ActionStatus).Trim('"') : "-";
            stdout.WriteLine($"action:   {ota.ActionId} {ota.Assignment.ModelName} {ota.Assignment.Version}: {ota.State}{(ota.Abandoned ? " (abandoned)" : string.Empty)}, last status {status}{(ota.Details is { } d ? $": {d}" : string.Empty)}");
        }

        int outbox = Directory.Exists(files.Outbox) ? Directory.GetFiles(files.Outbox, "*.json").Length : 0;
        stdout.WriteLine($"outbox:   {outbox} status(es) waiting");
        if (Directory.Exists(files.Metrics))
        {
            MetricsQueue queue = MetricsQueue.Inspect(files.Metrics);
            stdout.WriteLine($"metrics:  {queue.Count} window(s) queued (epoch {queue.Epoch}, next seq {queue.NextSeq})");
        }
        else
        {
            stdout.WriteLine("metrics:  no queue");
        }

        return CommandLine.Ok;
    }
}
