using System.Text;
using GeoEdge.Geometry.IO;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Running;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model run`: feeds .npy/.npz arrays to any ONNX model once and writes each output as DIR/NAME.npy.</summary>
internal static class RunCommand
{
    private const string Synopsis = "run MODEL.onnx --input NAME=FILE.npy|NAME=FILE.npz:KEY ... --out DIR";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        VerbArguments a = VerbArguments.Parse(args, ["--input", "--out"], []);
        a.ExpectPositional(1, Synopsis);
        string outDirectory = a.Required("--out", "DIR");
        var specs = new List<InputSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string text in a.All("--input"))
        {
            InputSpec spec = InputSpec.Parse(text);
            if (!names.Add(spec.Name))
            {
                throw new UsageException($"input '{spec.Name}' is given twice");
            }

            specs.Add(spec);
        }

        string modelPath = a.Positional[0];
        OnnxModel model = OnnxModel.Load(modelPath);
        IReadOnlyList<OnnxValue> declared = OnnxModelSummary.Of(model).Inputs;
        List<string> unknown = InputCheck.Unknown(declared, names);
        if (unknown.Count > 0)
        {
            throw new UsageException($"model has no input named {string.Join(", ", unknown)} (its inputs: {Names(declared)})");
        }

        List<string> missing = InputCheck.Missing(declared, names);
        if (missing.Count > 0)
        {
            throw new UsageException($"missing --input for {string.Join(", ", missing)} (the model's inputs: {Names(declared)})");
        }

        var arrays = new List<InputArray>(specs.Count);
        foreach (InputSpec spec in specs)
        {
            arrays.Add(spec.Read());
        }

        CommandLine.QuietOnnxRuntime();
        IReadOnlyList<KeyValuePair<string, NpyArray>> outputs = ModelRunner.Run(modelPath, model, arrays);
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, _) in outputs)
        {
            if (!files.Add(FileName(name)))
            {
                throw new IOException($"outputs would share the file name {FileName(name)}; rename the model's outputs");
            }
        }

        Directory.CreateDirectory(outDirectory);
        foreach ((string name, NpyArray array) in outputs)
        {
            string path = Path.Combine(outDirectory, FileName(name));
            NpyFile.Write(path, array);
            stdout.WriteLine($"{name}: {NpyElementTypes.Name(array.DType)} {NpyElementTypes.ShapeText(array.Shape)} -> {path}");
        }

        return CommandLine.Ok;
    }

    /// <summary>NAME.npy, with characters that do not belong in a file name (exporters write names like "onnx::Add_5") made '_'.</summary>
    internal static string FileName(string outputName)
    {
        var name = new StringBuilder(outputName.Length + 4);
        foreach (char c in outputName)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_');
        }

        if (name.Length == 0 || name[0] == '.')
        {
            name.Insert(0, '_');
        }

        return name.Append(".npy").ToString();
    }

    internal static string Names(IReadOnlyList<OnnxValue> values)
    {
        var names = new List<string>(values.Count);
        foreach (OnnxValue v in values)
        {
            names.Add(v.Name);
        }

        return string.Join(", ", names);
    }
}
