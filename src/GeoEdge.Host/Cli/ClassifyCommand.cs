using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Runtime;

namespace GeoEdge.Host.Cli;

/// <summary>`geoedge classify`: runs a point-cloud-classification bundle on files, so two builds (x64, arm64) can be compared.</summary>
internal static class ClassifyCommand
{
    private const string Usage = "classify --bundle DIR --keys PEM[,PEM] FILE... [--top K] [--json]";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, Func<Stream> openStdout)
    {
        Arguments a = Arguments.Parse(args, "--json");
        a.RejectUnknown("--bundle", "--keys", "--top", "--json");
        if (a.Positional.Count == 0)
        {
            throw new UsageException($"expected at least one FILE: {Usage}");
        }

        string bundlePath = a.Get("--bundle") ?? throw new UsageException($"option --bundle is required: {Usage}");
        string keys = a.Get("--keys") ?? throw new UsageException($"option --keys is required: {Usage}");
        int top = a.Has("--top") ? a.GetInt("--top", 1) : 5;

        using ModelBundle bundle = ModelBundle.Open(bundlePath, TrustedKeys.FromPemFiles(keys.Split(',', StringSplitOptions.RemoveEmptyEntries)));

        // One intra-op thread and one buffer set: the comparison between builds must not depend on the core count. No
        // warm-up: each file runs once, and under qemu every run costs seconds.
        var options = new PointCloudClassificationOptions
        {
            TopK = top,
            MaxDegreeOfParallelism = 1,
            Session = new ModelSessionOptions { IntraOpThreads = 1, InterOpThreads = 1, MaxConcurrency = 1, WarmupRuns = 0 },
        };
        using var pipeline = new PointCloudClassification(bundle, options);
        var report = new ClassificationReport(bundle);
        foreach (string file in a.Positional)
        {
            report.Add(file, pipeline.Classify(PointCloudReader.Read(file).Cloud));
        }

        if (a.Has("--json"))
        {
            stdout.Flush();
            Stream stream = openStdout();
            report.WriteJson(stream);
            stream.Flush();
        }
        else
        {
            report.WriteText(stdout);
        }

        // A refused cloud is bad input: every file is still reported, and the exit code says one was refused.
        return report.RejectedCount == 0 ? CommandLine.Ok : CommandLine.Failure;
    }
}
