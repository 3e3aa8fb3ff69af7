using System.Globalization;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Prune;
using Google.Protobuf;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model prune`: unstructured or structured pruning with measured cost, output change and accuracy; writes the model and report atomically.</summary>
internal static class PruneCommand
{
    public const string Synopsis = "prune (IN.onnx --out OUT.onnx | BUNDLE --out OUTBUNDLE --key KEY.pem [--trusted PUB.pem ... | --allow-unsigned]) "
        + "(--unstructured SPARSITY | --structured RATIO [--norm l1|l2] [--channel-multiple N]) [--report REPORT.json] [--data TEST.npz]";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        VerbArguments a = VerbArguments.Parse(args, ["--out", "--unstructured", "--structured", "--norm", "--channel-multiple", "--report", "--data", "--key", "--trusted"], ["--allow-unsigned"]);
        a.ExpectPositional(1, Synopsis);
        string outPath = a.Required("--out", "OUT.onnx");
        double? sparsity = Number(a, "--unstructured");
        double? ratio = Number(a, "--structured");
        if (sparsity is null == ratio is null)
        {
            throw new UsageException($"give exactly one of --unstructured and --structured: {Synopsis}");
        }

        if (sparsity is not (null or (>= 0 and < 1)) || ratio is not (null or (> 0 and < 1)))
        {
            throw new UsageException("--unstructured takes a sparsity in [0, 1), --structured a ratio in (0, 1)");
        }

        ChannelNorm norm = a.Single("--norm") switch
        {
            null or "l1" => ChannelNorm.L1,
            "l2" => ChannelNorm.L2,
            string other => throw new UsageException($"unknown --norm '{other}' (known: l1, l2)"),
        };
        if (sparsity is not null && a.Single("--norm") is not null)
        {
            throw new UsageException("--norm applies to --structured only");
        }

        int multiple = ChannelMultiple(a, structured: ratio is not null);

        CommandLine.QuietOnnxRuntime();
        using ModelTarget target = ModelTarget.Open(a.Positional[0], a);
        OnnxModel model = OnnxModel.Load(target.ModelPath);
        ModelProto pruned;
        PruneReport report;
        try
        {
            (pruned, report) = ModelPruner.Run(model.Proto, new PruneRequest(sparsity, ratio, norm, a.Single("--data"), multiple));
        }
        catch (PruneRefusedException e)
        {
            stderr.WriteLine($"geoedge-model: refused: {e.Message}; {outPath} not written");
            return CommandLine.Failure;
        }

        Print(stdout, report);
        target.Write(outPath, pruned.WriteTo, "pruning", PruneManifestSection.Build(report), stdout, time);
        if (a.Single("--report") is { } reportPath)
        {
            Geometry.IO.AtomicFile.Write(reportPath, s => PruneReportJson.Write(s, report));
            stdout.WriteLine($"wrote {reportPath}");
        }

        return CommandLine.Ok;
    }

    // 1 (the default) keeps exactly floor(ratio x channels) out; 8 suits ONNX Runtime's AVX2 NCHWc convolutions, 16 AVX-512.
    private static int ChannelMultiple(VerbArguments a, bool structured)
    {
        if (a.Single("--channel-multiple") is not { } text)
        {
            return 1;
        }

        if (!structured)
        {
            throw new UsageException("--channel-multiple applies to --structured only");
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value is >= 1 and <= 1024 ? value
            : throw new UsageException($"--channel-multiple takes a whole number of channels in [1, 1024], got '{text}'");
    }

    private static double? Number(VerbArguments a, string option) =>
        a.Single(option) is not { } text ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value
        : throw new UsageException($"option {option} needs a number, got '{text}'");

    private static void Print(TextWriter stdout, PruneReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (LayerSparsity l in r.Layers)
        {
            stdout.WriteLine(string.Create(inv, $"layer {l.Node} {l.Weight} [{string.Join("x", l.Shape)}]: zeros {l.ZerosBefore} -> {l.ZerosAfter} of {l.Elements} ({l.SparsityAfter:P1})"));
        }

        foreach (GroupOutcome g in r.Groups)
        {
            string producers = string.Join(" + ", g.Producers);
            stdout.WriteLine(g.Refusal is null
                ? string.Create(inv, $"group {producers}: channels {g.ChannelsBefore} -> {g.ChannelsAfter}")
                : $"group {producers}: kept {g.ChannelsBefore} channels: {g.Refusal}");
        }

        stdout.WriteLine(string.Create(inv, $"flops {r.FlopsBefore} -> {r.FlopsAfter} ({r.ProofInput}); parameters {r.ParametersBefore} -> {r.ParametersAfter}"));
        foreach (OutputChange c in r.Changes)
        {
            stdout.WriteLine(string.Create(inv, $"output {c.Output}: max change {c.MaxAbsolute:0.###e0} ({c.MaxRelative:0.###e0} of its largest value)"));
        }

        if (r.MaskedProofError is { } masked)
        {
            stdout.WriteLine(string.Create(inv, $"proof: shrunk model = masked original within {masked:0.0e0} relative"));
        }

        if (r.TestSamples is { } n)
        {
            stdout.WriteLine(string.Create(inv, $"accuracy on {n} test samples: {r.AccuracyBefore:P2} -> {r.AccuracyAfter:P2}"));
        }
    }
}
