using System.Globalization;
using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model inspect`: a model's interface, opsets, operator histogram and parameter count, as text or JSON.</summary>
internal static class InspectCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        VerbArguments a = VerbArguments.Parse(args, [], ["--json"]);
        a.ExpectPositional(1, "inspect MODEL.onnx [--json]");
        OnnxModel model = OnnxModel.Load(a.Positional[0]);
        OnnxModelSummary summary = OnnxModelSummary.Of(model);
        if (a.Has("--json"))
        {
            stdout.WriteLine(InspectJson.Write(model, summary));
        }
        else
        {
            WriteText(model, summary, stdout);
        }

        return CommandLine.Ok;
    }

    private static void WriteText(OnnxModel model, OnnxModelSummary s, TextWriter o)
    {
        ModelProto p = model.Proto;
        o.WriteLine($"model:        {model.Source}");
        o.WriteLine(model.ExternalDataFiles.Count == 0
            ? $"size:         {model.FileBytes} bytes"
            : $"size:         {model.FileBytes + model.ExternalDataBytes} bytes (model {model.FileBytes}, external data {model.ExternalDataBytes} in {string.Join(", ", model.ExternalDataFiles)})");
        o.WriteLine($"ir_version:   {p.IrVersion}");
        o.WriteLine($"producer:     {(p.ProducerName.Length == 0 ? "(none)" : p.ProducerName)} {p.ProducerVersion}".TrimEnd());
        var opsets = new List<string>();
        foreach (OperatorSetIdProto opset in s.OpsetImports)
        {
            opsets.Add($"{DomainName(opset.Domain)} {opset.Version}");
        }

        o.WriteLine($"opsets:       {string.Join(", ", opsets)}");
        WriteValues("inputs", s.Inputs, o);
        WriteValues("outputs", s.Outputs, o);
        o.WriteLine($"initializers: {s.InitializerCount} ({s.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)} parameters)");
        o.WriteLine($"nodes:        {s.NodeCount}");
        o.WriteLine("operators:");
        foreach (OperatorCount op in s.Operators)
        {
            string name = op.Domain.Length == 0 ? op.OpType : $"{op.OpType} ({op.Domain})";
            o.WriteLine($"  {op.Count,6}  {name}");
        }
    }

    private static void WriteValues(string title, IReadOnlyList<OnnxValue> values, TextWriter o)
    {
        o.WriteLine($"{title}:");
        int width = 0;
        foreach (OnnxValue v in values)
        {
            width = Math.Max(width, v.Name.Length);
        }

        foreach (OnnxValue v in values)
        {
            o.WriteLine($"  {v.Name.PadRight(width)}  {v.TypeName} {v.ShapeText}");
        }
    }

    internal static string DomainName(string domain) => domain.Length == 0 ? "ai.onnx" : domain;
}
