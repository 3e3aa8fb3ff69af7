using System.Diagnostics;
using GeoEdge.Fleet.Contracts;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.FleetSimulator;

/// <summary>One run: server up, devices enrolled (ramped), a steady phase with a rollout of a new bundle version part-way,
/// then the devices stopped and drained, the database audited, and the report built.</summary>
internal sealed class Simulation(SimulatorOptions options, Workload workload, string repository, string root, string command)
{
    private readonly RequestLog _requests = new();
    private readonly ConsoleWarnings _log = new();

    public async Task<SimulationReport> RunAsync(CancellationToken cancellationToken)
    {
        double loadStart = LoadAverage.Read();
        string model = workload.Model;
        string publicKey = Path.Combine(repository, "models", "dev-keys", "geoedge-dev.pub.pem");
        TrustedKeys keys = TrustedKeys.FromPemFiles([publicKey]);
        Directory.CreateDirectory(Path.Combine(root, "bundles"));
        (string fromBundle, string toBundle) = BenchBundles.Write(repository, model, Path.Combine(root, "bundles"), options.PayloadKb);

        await using FleetUnderTest server = await FleetUnderTest.StartAsync(options, root, publicKey, _log).ConfigureAwait(false);
        using var operatorApi = new OperatorClient(server.Url, server.AdminToken);
        await operatorApi.UploadAsync(fromBundle, cancellationToken).ConfigureAwait(false);
        string token = (await server.App.Store.EnrollmentTokens.CreateAsync("sim", TimeSpan.FromDays(1), options.Devices, cancellationToken).ConfigureAwait(false)).Secret;
        DeviceImage image = await DeviceImage.BuildAsync(Path.Combine(root, "image"), fromBundle, keys, model, BenchBundles.ShippedVersion).ConfigureAwait(false);
        var settings = new SimulationSettings(server.Url, model, BenchBundles.ShippedVersion, options.PollSeconds, options.WindowSeconds,
            new Dictionary<string, string> { ["fleet"] = "sim" });
        var devices = new List<SimulatedDevice>(options.Devices);
        for (int i = 0; i < options.Devices; i++)
        {
            string state = Path.Combine(root, "devices", $"dev-{i:D5}");
            image.CopyTo(state);
            devices.Add(new SimulatedDevice(i, state, keys, settings, _requests, _log));
        }

        Console.Error.WriteLine($"[sim] server {server.Url} ({server.Database}); {devices.Count} devices prepared at {_requests.Now:0} s");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task feeding = new WorkloadDriver(workload, seed: 7).RunAsync(devices, stop.Token);
        double enrollStart = _requests.Now;
        List<Task> running = await StartRampedAsync(devices, token, stop.Token).ConfigureAwait(false);
        int enrolled = await WaitEnrolledAsync(devices, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        double steadyStart = _requests.Now;
        Console.Error.WriteLine($"[sim] {enrolled} enrolled in {steadyStart - enrollStart:0.0} s; steady phase {options.Minutes} min");

        double steadySeconds = options.Minutes * 60;
        int[] failuresAtStart = devices.ConvertAll(d => d.Failures).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(steadySeconds * options.RolloutAt), cancellationToken).ConfigureAwait(false);
        int[] failuresAtRollout = devices.ConvertAll(d => d.Failures).ToArray();
        RolloutView rollout = await StartRolloutAsync(operatorApi, toBundle, model, devices, cancellationToken).ConfigureAwait(false);
        double rolloutStart = _requests.Now;
        Console.Error.WriteLine($"[sim] rollout {rollout.Id} to {BenchBundles.NewVersion} started at {rolloutStart:0} s");
        await WaitSteadyEndAsync(devices, steadyStart + steadySeconds, steadySeconds, cancellationToken).ConfigureAwait(false);
        double steadyEnd = _requests.Now;
        List<RequestSample> samples = _requests.Requests();
        bool[] keptUp = RequestSummary.KeptUp(samples, devices.Count, (steadyStart, rolloutStart), options.PollSeconds);
        bool[] keptUpThrough = RequestSummary.KeptUp(samples, devices.Count, (steadyStart, steadyEnd), options.PollSeconds);
        int sustained = devices.Where((d, i) => keptUp[i] && failuresAtRollout[i] == failuresAtStart[i]).Count();
        int sustainedThrough = devices.Where((d, i) => keptUpThrough[i] && d.Failures == failuresAtStart[i]).Count();

        await stop.CancelAsync().ConfigureAwait(false);
        await feeding.ConfigureAwait(false);
        await Task.WhenAll(running).ConfigureAwait(false);
        Console.Error.WriteLine($"[sim] devices stopped at {_requests.Now:0} s; draining metrics queues");
        QueueState[] queues = await DrainAsync(devices, cancellationToken).ConfigureAwait(false);
        long recorded = devices.Sum(d => d.Inferences);
        AuditResult audit = await WindowAudit.RunAsync(server.App.Store.Database, queues, recorded, cancellationToken).ConfigureAwait(false);
        RolloutView final = await operatorApi.GetRolloutAsync(rollout.Id, cancellationToken).ConfigureAwait(false);
        DownloadResult download = Downloads(toBundle);
        foreach (SimulatedDevice device in devices)
        {
            device.Dispose();
        }

        return new SimulationReport(command, server.Database, options.Devices, enrolled, steadyStart - enrollStart, sustained, sustainedThrough, steadyStart, steadyEnd - steadyStart,
            options.PollSeconds, options.WindowSeconds, loadStart, LoadAverage.Read(), Environment.ProcessorCount, Process.GetCurrentProcess().PeakWorkingSet64 >> 20,
            Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, _requests.Now,
            RequestSummary.ByKind(samples, (enrollStart, steadyStart), (steadyStart, rolloutStart)), RequestSummary.ByKind(samples, null, (rolloutStart, steadyEnd)),
            audit, Rollout(devices, rolloutStart, final), download, _log.Counts);
    }

    /// <summary>Starts the devices spread over a ramp (a fleet does not boot in the same second), enrollment included.</summary>
    private async Task<List<Task>> StartRampedAsync(List<SimulatedDevice> devices, string token, CancellationToken stop)
    {
        double rampSeconds = Math.Min(60, Math.Max(options.PollSeconds, devices.Count / 40.0));
        TimeSpan gap = TimeSpan.FromSeconds(rampSeconds / devices.Count);
        var running = new List<Task>(devices.Count);
        foreach (SimulatedDevice device in devices)
        {
            running.Add(Task.Run(() => device.RunAsync(token, stop), CancellationToken.None));
            await Task.Delay(gap, stop).ConfigureAwait(false);
        }

        return running;
    }

    private static async Task<int> WaitEnrolledAsync(List<SimulatedDevice> devices, TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        int enrolled;
        while ((enrolled = devices.Count(d => d.DeviceId is not null)) < devices.Count && clock.Elapsed < limit)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }

        return enrolled;
    }

    private async Task<RolloutView> StartRolloutAsync(OperatorClient operatorApi, string bundle, string model, List<SimulatedDevice> devices, CancellationToken cancellationToken)
    {
        await operatorApi.UploadAsync(bundle, cancellationToken).ConfigureAwait(false);
        foreach (SimulatedDevice device in devices)
        {
            device.TargetVersion = BenchBundles.NewVersion;
        }

        // One stage, every device at once: the download and activation load the benchmark is after.
        var request = new RolloutRequest(model, BenchBundles.ShippedVersion, BenchBundles.NewVersion, new TargetSelector(new Dictionary<string, string> { ["fleet"] = "sim" }),
            [new StageSpec("all", 100, null, MinDevices: 10, BakeMinutes: 0, SuccessPct: 100, ErrorPct: 5, OnSuccess: "next", InProgressTimeoutMinutes: 30)]);
        return await operatorApi.StartRolloutAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the end of the steady phase; if the rollout has not reached every enrolled device by then, waits
    /// for it up to one more steady phase (the figures then cover the longer span).</summary>
    private async Task WaitSteadyEndAsync(List<SimulatedDevice> devices, double end, double extra, CancellationToken cancellationToken)
    {
        while (true)
        {
            double now = _requests.Now;
            bool converged = devices.All(d => d.DeviceId is null || d.ConvergedAt is not null);
            if ((now >= end && converged) || now >= end + extra)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<QueueState[]> DrainAsync(List<SimulatedDevice> devices, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        var queues = new QueueState[devices.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, devices.Count), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (i, _) => queues[i] = await devices[i].DrainAsync(deadline.Token).ConfigureAwait(false)).ConfigureAwait(false);
        return queues;
    }

    private static RolloutResult Rollout(List<SimulatedDevice> devices, double start, RolloutView view)
    {
        var times = devices.Where(d => d.ConvergedAt is not null).Select(d => d.ConvergedAt!.Value - start).Order().ToList();
        bool all = times.Count == devices.Count(d => d.DeviceId is not null);
        var byStatus = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (StageProgress stage in view.Stages)
        {
            foreach ((string status, int n) in stage.ByStatus)
            {
                byStatus[status] = byStatus.GetValueOrDefault(status) + n;
            }
        }

        return new RolloutResult(BenchBundles.NewVersion, start, times.Count, times.Count > 0 ? Percentile.Of(times, 50) : null, all && times.Count > 0 ? times[^1] : null, view.State, byStatus);
    }

    private DownloadResult Downloads(string bundle)
    {
        List<TransferSample> transfers = _requests.Transfers();
        (double median, double aggregate) = RequestSummary.Downloads(transfers);
        (double copyMedian, double copyAggregate) = FileCopyBaseline.Measure(bundle, Math.Max(1, transfers.Count), Path.Combine(root, "copies"));
        return new DownloadResult(new FileInfo(bundle).Length, transfers.Count, median, aggregate, Math.Max(1, transfers.Count), copyMedian, copyAggregate);
    }
}
