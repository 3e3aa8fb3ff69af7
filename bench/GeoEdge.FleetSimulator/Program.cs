using System.Text.Json;
using GeoEdge.FleetSimulator;

// geoedge-fleet-sim [options]            run the fleet benchmark (see SimulatorOptions); exit 1 when a window is lost or duplicated
// geoedge-fleet-sim record-workload      re-record workload.json from the shipped sensor-stgnn pipeline
string repository = FindRepository(Directory.GetCurrentDirectory());
if (args is ["record-workload", ..])
{
    Workload recorded = WorkloadRecorder.Record(repository, passes: 5, ratePerSecond: 10);
    string target = Path.Combine(repository, "bench", "GeoEdge.FleetSimulator", "workload.json");
    WorkloadRecorder.Write(recorded, target);
    Console.WriteLine($"{target}: {recorded.Inferences} windows; {recorded.Source}");
    return 0;
}

SimulatorOptions options;
try
{
    options = SimulatorOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"geoedge-fleet-sim: {e.Message}");
    Console.Error.WriteLine("usage: geoedge-fleet-sim [--devices N] [--minutes M] [--db sqlite|postgres] [--poll-seconds S] [--window-seconds S] [--payload-kb K] [--postgres CONNECTION] [--rollout-at FRACTION] [--json PATH] [--root DIR] [--repo DIR]");
    return 2;
}

repository = options.Repository ?? repository;
Workload workload = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "workload.json")), SimulatorJsonContext.Default.Workload)
    ?? throw new InvalidDataException("workload.json is empty");
string root = options.Root ?? Path.Combine(Path.GetTempPath(), "geoedge-fleet-sim-" + Guid.NewGuid().ToString("N")[..8]);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

SimulationReport report;
try
{
    report = await new Simulation(options, workload, repository, root, "geoedge-fleet-sim " + string.Join(' ', args)).RunAsync(cancel.Token);
}
finally
{
    if (options.Root is null && Directory.Exists(root))
    {
        Directory.Delete(root, recursive: true);
    }
}

Console.WriteLine(ReportTable.Format(report));
if (options.JsonPath is { } json)
{
    File.WriteAllBytes(json, JsonSerializer.SerializeToUtf8Bytes(report, SimulatorJsonContext.Default.SimulationReport));
}

if (!report.Windows.Clean)
{
    Console.Error.WriteLine($"geoedge-fleet-sim: metrics windows not delivered exactly once: {report.Windows.Lost} lost, {report.Windows.Duplicated} duplicated, {report.Windows.Pending} undelivered, inferences {report.Windows.InferencesRecorded} recorded vs {report.Windows.InferencesInDatabase} stored");
    foreach (WindowFinding finding in report.Windows.Findings.Take(20))
    {
        Console.Error.WriteLine("  " + finding);
    }

    return 1;
}

return 0;

// The repository root: the first directory upwards holding models/dev-keys (the bench runs from anywhere inside it).
static string FindRepository(string start)
{
    for (string? dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
    {
        if (Directory.Exists(Path.Combine(dir, "models", "dev-keys")))
        {
            return dir;
        }
    }

    return start;
}
