using System.Globalization;
using GeoEdge.Geometry.IO;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Running;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model verify`: runs a model on a reference's inputs and compares every output with the reference's.</summary>
/// <remarks>The check that catches exports that run but compute something else (pytorch#111159: index_add with duplicate indices).</remarks>
internal static class VerifyCommand
{
    private const string Synopsis = "verify MODEL.onnx --reference REF.npz [--atol 1e-4] [--rtol 0]";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        VerbArguments a = VerbArguments.Parse(args, ["--reference", "--atol", "--rtol"], []);
        a.ExpectPositional(1, Synopsis);
        string referencePath = a.Required("--reference", "REF.npz");
        double atol = Tolerance(a, "--atol", 1e-4);
        double rtol = Tolerance(a, "--rtol", 0);
        string modelPath = a.Positional[0];
        OnnxModel model = OnnxModel.Load(modelPath);
        OnnxModelSummary summary = OnnxModelSummary.Of(model);
        IReadOnlyDictionary<string, NpyArray> reference = NpzFile.Read(referencePath);
        var inputs = new List<InputArray>();
        foreach (OnnxValue input in summary.Inputs)
        {
            inputs.Add(new InputArray(input.Name, Take(reference, input.Name, "input", referencePath), $"{referencePath}:{input.Name}"));
        }

        var expected = new List<NpyArray>();
        foreach (OnnxValue output in summary.Outputs)
        {
            expected.Add(Take(reference, output.Name, "output", referencePath));
        }

        stdout.WriteLine($"model:      {modelPath}");
        stdout.WriteLine($"reference:  {referencePath} (inputs: {RunCommand.Names(summary.Inputs)}; outputs: {RunCommand.Names(summary.Outputs)}; ignored: {Ignored(reference, summary)})");
        stdout.WriteLine($"tolerance:  |model - reference| <= {Number(atol)} + {Number(rtol)} * |reference|");
        CommandLine.QuietOnnxRuntime();
        IReadOnlyList<KeyValuePair<string, NpyArray>> outputs = ModelRunner.Run(modelPath, model, inputs);
        int failed = 0;
        for (int i = 0; i < outputs.Count; i++)
        {
            (string name, NpyArray actual) = outputs[i];
            ArrayComparison c = ArrayComparison.Compare(actual, expected[i], atol, rtol);
            failed += c.Matches ? 0 : 1;
            stdout.WriteLine(Describe(name, actual, expected[i], c));
        }

        stdout.WriteLine(failed == 0
            ? $"verify: all {outputs.Count} output(s) match the reference"
            : $"verify: {failed} of {outputs.Count} output(s) differ from the reference");
        return failed == 0 ? CommandLine.Ok : CommandLine.Failure;
    }

    private static string Describe(string name, NpyArray actual, NpyArray expected, ArrayComparison c)
    {
        string dtype = NpyElementTypes.Name(actual.DType);
        string head = $"{(c.Matches ? "ok  " : "FAIL")}  {name} {dtype} {NpyElementTypes.ShapeText(actual.Shape)}";
        if (!c.ShapeMatches)
        {
            return $"{head}: reference has shape {NpyElementTypes.ShapeText(expected.Shape)}";
        }

        if (c.WorstIndex < 0)
        {
            return $"{head}: empty";
        }

        string note = expected.DType == actual.DType ? string.Empty : $" (reference is {NpyElementTypes.Name(expected.DType)})";
        string index = NpyElementTypes.ShapeText(ArrayComparison.Unravel(c.WorstIndex, actual.Shape));
        string counts = c.Mismatches == 0 ? string.Empty : $"{c.Mismatches} of {actual.Length} elements differ; ";
        return $"{head}: {counts}max abs error {Number(c.MaxAbsError)}, worst at {index} (model {Value(c.ModelValue, actual.DType)}, reference {Value(c.ReferenceValue, expected.DType)}){note}";
    }

    private static NpyArray Take(IReadOnlyDictionary<string, NpyArray> reference, string name, string role, string referencePath) =>
        reference.TryGetValue(name, out NpyArray? array)
            ? array
            : throw new ModelInputException($"{referencePath} has no array '{name}' for model {role} '{name}' (it holds {string.Join(", ", reference.Keys)})");

    private static string Ignored(IReadOnlyDictionary<string, NpyArray> reference, OnnxModelSummary summary)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (OnnxValue v in summary.Inputs)
        {
            used.Add(v.Name);
        }

        foreach (OnnxValue v in summary.Outputs)
        {
            used.Add(v.Name);
        }

        var ignored = new List<string>();
        foreach (string key in reference.Keys)
        {
            if (!used.Contains(key))
            {
                ignored.Add(key);
            }
        }

        return ignored.Count == 0 ? "none" : string.Join(", ", ignored);
    }

    private static double Tolerance(VerbArguments a, string option, double fallback)
    {
        string? text = a.Single(option);
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && double.IsFinite(value)
            ? value
            : throw new UsageException($"{option} must be a finite number >= 0, got '{text}'");
    }

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    // Values print as their own type's shortest round-trip text, so a float32 shows the digits the model produced.
    private static string Value(double value, NpyDType dtype) => dtype switch
    {
        NpyDType.Float32 => ((float)value).ToString(CultureInfo.InvariantCulture),
        NpyDType.Float64 => value.ToString(CultureInfo.InvariantCulture),
        NpyDType.Bool => value != 0 ? "true" : "false",
        _ => ((long)value).ToString(CultureInfo.InvariantCulture),
    };
}
