using System.Globalization;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;
using Google.Protobuf;

namespace GeoEdge.ModelTool.Cli;

/// <summary>`geoedge-model optimize`: rewrites a GNN graph for speed, proves the result equal on generated inputs, then writes it atomically.</summary>
internal static class OptimizeCommand
{
    private const string Synopsis = "optimize IN.onnx --out OUT.onnx [--contract knn-target-major]";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        VerbArguments a = VerbArguments.Parse(args, ["--out", "--contract"], []);
        a.ExpectPositional(1, Synopsis);
        string outPath = a.Required("--out", "OUT.onnx");
        InputContract contract = a.Single("--contract") switch
        {
            null => InputContract.None,
            "knn-target-major" => InputContract.KnnTargetMajor,
            string other => throw new UsageException($"unknown --contract '{other}' (known: knn-target-major)"),
        };

        OnnxModel model = OnnxModel.Load(a.Positional[0]);
        (ModelProto optimized, List<RewriteReport> reports) = GraphOptimizer.Optimize(model.Proto, contract);
        foreach (RewriteReport r in reports)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name}: {r.Sites} site(s), nodes {r.NodesBefore} -> {r.NodesAfter}"));
        }

        CommandLine.QuietOnnxRuntime();
        List<ProofCase> cases = ProofInputs.Cases(OptimizationProof.Inputs(model.Proto), seed: 1);
        List<ProofResult> results = OptimizationProof.Run(model.ToByteArray(), optimized.ToByteArray(), cases);
        bool ok = true;
        foreach (ProofResult r in results)
        {
            bool pass = r.Passes(OptimizationProof.Tolerance);
            ok &= pass;
            string error = r.ShapesMatch ? r.MaxRelativeError.ToString("0.0e0", CultureInfo.InvariantCulture) : "shape differs";
            stdout.WriteLine($"proof {r.Case}: {r.Output} max relative error {error} {(pass ? "ok" : "FAILED")}");
        }

        if (!ok)
        {
            throw new OptimizationRefusedException($"the optimized model differs from {a.Positional[0]} by more than {OptimizationProof.Tolerance:0e0} relative; {outPath} not written");
        }

        AtomicFileWrite(outPath, optimized);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {outPath}: nodes {GraphOptimizer.NodeCount(model.Proto)} -> {GraphOptimizer.NodeCount(optimized)}"));
        return CommandLine.Ok;
    }

    private static void AtomicFileWrite(string path, ModelProto model) => Geometry.IO.AtomicFile.Write(path, model.WriteTo);
}
