using System.Globalization;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;
using GeoEdge.ModelTool.Quantize;
using Google.Protobuf;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model quantize`: dynamic or static (QDQ) int8 quantization, checked against the float model in ONNX Runtime, written atomically.</summary>
internal static class QuantizeCommand
{
    private const string Synopsis = "quantize (IN.onnx --out OUT.onnx | BUNDLE --out OUTBUNDLE --key KEY.pem [--trusted PUB.pem ... | --allow-unsigned]) "
        + "(--dynamic | --static --calibration DATA.npz|CLOUDS_DIR) [--method minmax|percentile|entropy] "
        + "[--percentile 99.99] [--per-channel] [--reduce-range] [--keep-float NAME_OR_OP,...] [--samples N] [--data TEST.npz]";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TimeProvider time)
    {
        VerbArguments a = VerbArguments.Parse(args, ["--out", "--calibration", "--method", "--percentile", "--keep-float", "--samples", "--data", "--key", "--trusted"],
            ["--dynamic", "--static", "--per-channel", "--reduce-range", "--allow-unsigned"]);
        a.ExpectPositional(1, Synopsis);
        string outPath = a.Required("--out", "OUT.onnx");
        if (a.Has("--dynamic") == a.Has("--static"))
        {
            throw new UsageException("give exactly one of --dynamic and --static");
        }

        string? calibration = a.Single("--calibration");
        if (a.Has("--static") && calibration is null)
        {
            throw new UsageException("--static needs --calibration DATA.npz");
        }

        CalibrationMethod method = a.Single("--method") switch
        {
            null or "minmax" => CalibrationMethod.MinMax,
            "percentile" => CalibrationMethod.Percentile,
            "entropy" => CalibrationMethod.Entropy,
            string other => throw new UsageException($"unknown --method '{other}' (known: minmax, percentile, entropy)"),
        };
        double percentile = Number(a.Single("--percentile") ?? "99.99", "--percentile", 0, 100);
        int samples = (int)Number(a.Single("--samples") ?? "1000000", "--samples", 1, int.MaxValue);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (string list in a.All("--keep-float"))
        {
            keep.UnionWith(list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        var options = new QuantizeOptions(a.Has("--per-channel"), keep, a.Has("--reduce-range") ? 63 : 127);
        using ModelTarget target = ModelTarget.Open(a.Positional[0], a);
        OnnxModel model = OnnxModel.Load(target.ModelPath);
        CommandLine.QuietOnnxRuntime();
        (List<ProofTensor[]> calibrationSet, string? name, string? sha) = LoadCalibration(calibration, target, model, samples);
        CalibrationSource? source = sha is null || !a.Has("--static") ? null
            : new CalibrationSource(method, method == CalibrationMethod.Percentile ? percentile : null, name!, sha, calibrationSet.Count);
        (ModelProto quantized, QuantizeReport report) = a.Has("--static")
            ? Static(model.Proto, calibrationSet, method, percentile, options, stdout)
            : DynamicQuantizer.Quantize(model.Proto, options);
        stdout.WriteLine($"quantized: {Counts(report.Quantized)}");
        stdout.WriteLine($"kept float: {Counts(report.KeptFloat)}");
        if (a.Has("--static"))
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"activations with QuantizeLinear/DequantizeLinear: {report.Activations}"));
        }

        byte[] original = model.ToByteArray();
        byte[] result = quantized.ToByteArray();
        if (calibrationSet.Count > 0)
        {
            QuantizationCheck c = QuantizationCheck.Run(original, result, calibrationSet, null);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max |int8 - float| on {calibration} ({c.Samples} samples): {Differences(c)}"));
        }

        if (a.Single("--data") is { } data)
        {
            List<ProofTensor[]> test = CalibrationSet.Load(data, model.Proto, int.MaxValue, "label", out long[]? labels);
            if (labels is null)
            {
                throw new FormatException($"{data}: no int64 'label' array of one class per sample to measure accuracy with");
            }

            QuantizationCheck c = QuantizationCheck.Run(original, result, test, labels);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"accuracy on {data} ({c.Samples} samples): float {100 * c.FloatAccuracy:0.00}% int8 {100 * c.QuantizedAccuracy:0.00}% ({100 * (c.QuantizedAccuracy - c.FloatAccuracy):+0.00;-0.00;0.00} pp); max |int8 - float|: {Differences(c)}"));
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model size: {original.Length} -> {result.Length} bytes"));
        target.Write(outPath, quantized.WriteTo, "quantization", QuantizeManifestSection.Build(a.Has("--static"), options, report, source), stdout, time);
        return CommandLine.Ok;
    }

    /// <summary>The calibration samples, the set's name and SHA-256: an .npz (a sensor bundle's raw windows are encoded as the device does), or a folder of PCD/PLY clouds through the bundle's preprocessing.</summary>
    private static (List<ProofTensor[]>, string?, string?) LoadCalibration(string? path, ModelTarget target, OnnxModel model, int samples)
    {
        if (path is null)
        {
            return ([], null, null);
        }

        if (!Directory.Exists(path))
        {
            List<ProofTensor[]> windows = target.Bundle is { Manifest.Task: Inference.Bundles.BundleTasks.SensorGraphAnomaly } sensors && Evaluate.SensorSplit.Holds(path)
                ? SensorWindowCalibration.Load(path, sensors, model.Proto, samples)
                : CalibrationSet.Load(path, model.Proto, samples);
            return (windows, Path.GetFileName(path), Datasets.DatasetCardBuilder.FileSha256(path));
        }

        if (target.Bundle is null)
        {
            throw new UsageException($"--calibration {path} is a folder of clouds: it needs a bundle input, whose manifest's preprocessing turns them into model inputs");
        }

        (List<ProofTensor[]> set, string sha) = CloudFolderCalibration.Load(path, target.Bundle, model.Proto, samples);
        return (set, Path.GetFileName(Path.TrimEndingDirectorySeparator(path)) + "/", sha);
    }

    private static (ModelProto, QuantizeReport) Static(ModelProto model, List<ProofTensor[]> samples, CalibrationMethod method, double percentile, QuantizeOptions options, TextWriter stdout)
    {
        if (samples.Count == 0)
        {
            throw new FormatException("the calibration set holds no samples");
        }

        List<string> tensors = StaticQuantizer.ActivationsToCalibrate(model, options);
        Dictionary<string, ActivationStatistics> stats = ActivationCollector.Collect(model, tensors, samples, method != CalibrationMethod.MinMax);
        var ranges = new Dictionary<string, (float, float)>(StringComparer.Ordinal);
        int clipped = 0;
        foreach ((string name, ActivationStatistics s) in stats)
        {
            (float lo, float hi) = s.Range(method, percentile);
            clipped += lo > Math.Min(0, s.Min) || hi < Math.Max(0, s.Max) ? 1 : 0;
            ranges[name] = (lo, hi);
        }

        string how = method == CalibrationMethod.Percentile ? string.Create(CultureInfo.InvariantCulture, $"percentile {percentile}") : method.ToString().ToLowerInvariant();
        stdout.WriteLine($"calibrated {stats.Count} activations on {samples.Count} samples ({how}); {clipped} clipped below their min-max range");
        return StaticQuantizer.Quantize(model, ranges, options);
    }

    private static string Counts(SortedDictionary<string, int> counts)
    {
        var parts = new List<string>();
        foreach ((string op, int n) in counts)
        {
            if (n > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{op} {n}"));
            }
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private static string Differences(QuantizationCheck c)
    {
        var parts = new List<string>();
        foreach ((string output, double d) in c.MaxDifference)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{output} {d:0.000000}"));
        }

        return string.Join(", ", parts);
    }

    private static double Number(string text, string option, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > min && v <= max
            ? v
            : throw new UsageException($"{option} '{text}' is not a number in ({min}, {max}]");
}
