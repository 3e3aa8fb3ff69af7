using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;
using Google.Protobuf;

namespace GeoEdge.ModelTool.Prune;

/// <summary>Prunes a model as requested, runs original and pruned in ONNX Runtime, and measures cost, output change and accuracy.</summary>
/// <remarks>Structured pruning is also proven exact against a masked model (the original with the removed channels' consumer
/// weights zeroed): any inconsistency in how channels were removed shows up there, independent of how much the outputs change.</remarks>
internal static class ModelPruner
{
    /// <summary>Relative (infinity-norm) disagreement allowed between the shrunk and the masked model: float32 summation order only.</summary>
    public const double MaskedTolerance = 1e-5;

    public static (ModelProto Pruned, PruneReport Report) Run(ModelProto model, PruneRequest request)
    {
        ProofCase probe = ProofInputs.Make(OptimizationProof.Inputs(model), n: 64, g: 1, ordered: true, seed: 1);
        Dictionary<string, long[]> shapes = ShapeProbe.Measure(model, probe.Inputs);
        ModelCost before = ModelCost.Measure(model, shapes);

        ModelProto pruned;
        List<LayerSparsity> layers = [];
        IReadOnlyList<GroupOutcome> groups = [];
        double? maskedError = null;
        if (request.Sparsity is { } sparsity)
        {
            pruned = model.Clone();
            layers = UnstructuredPruning.Apply(pruned, sparsity);
        }
        else
        {
            StructuredPruning plan = StructuredPruning.Plan(model, shapes, request.Ratio!.Value, request.Norm, request.ChannelMultiple);
            groups = plan.Outcomes;
            pruned = plan.Apply(model);
            maskedError = Compare(plan.Masked(model), pruned, probe).Max(static c => c.MaxRelative);
            if (!(maskedError <= MaskedTolerance))
            {
                throw new PruneRefusedException($"the shrunk model differs from the masked original by {maskedError:0.0e0} relative (> {MaskedTolerance:0e0}): channels were not removed consistently");
            }
        }

        // Measuring the pruned model's shapes also proves it loads and runs in ONNX Runtime.
        ModelCost after = ModelCost.Measure(pruned, ShapeProbe.Measure(pruned, probe.Inputs));
        List<OutputChange> changes = Compare(model, pruned, probe);

        double? accuracyBefore = null;
        double? accuracyAfter = null;
        int? samples = null;
        if (request.DataPath is { } data)
        {
            PointCloudAccuracy split = PointCloudAccuracy.Load(model, data);
            samples = split.Count;
            accuracyBefore = split.Measure(model.ToByteArray());
            accuracyAfter = split.Measure(pruned.ToByteArray());
        }

        double removedFraction = request.Sparsity is null
            ? 1 - ((double)after.Parameters / before.Parameters)
            : (double)layers.Sum(static l => l.ZerosAfter) / layers.Sum(static l => l.Elements);
        var report = new PruneReport(
            request.Sparsity is null ? "structured" : "unstructured",
            request.Sparsity ?? request.Ratio!.Value,
            request.Sparsity is null ? request.Norm.ToString().ToLowerInvariant() : null,
            layers,
            groups,
            before.Flops,
            after.Flops,
            before.Parameters,
            after.Parameters,
            string.Join(", ", probe.Inputs.Select(static t => $"{t.Name} [{string.Join(",", t.Shape)}]")),
            changes,
            maskedError,
            removedFraction,
            samples,
            accuracyBefore,
            accuracyAfter);
        return (pruned, report);
    }

    /// <summary>Each output's change from <paramref name="reference"/> to <paramref name="candidate"/>; a changed output shape is refused.</summary>
    private static List<OutputChange> Compare(ModelProto reference, ModelProto candidate, ProofCase probe)
    {
        using var a = new OrtEvaluator(reference.ToByteArray());
        using var b = new OrtEvaluator(candidate.ToByteArray());
        List<ProofOutput> expected = a.Run(probe.Inputs);
        List<ProofOutput> actual = b.Run(probe.Inputs);
        var changes = new List<OutputChange>();
        foreach (ProofOutput e in expected)
        {
            ProofOutput g = actual.Find(x => x.Name == e.Name) ?? throw new PruneRefusedException($"the pruned model lost the output '{e.Name}'");
            if (!e.Shape.AsSpan().SequenceEqual(g.Shape))
            {
                throw new PruneRefusedException($"the pruned model's output '{e.Name}' has shape [{string.Join(",", g.Shape)}], the original [{string.Join(",", e.Shape)}]");
            }

            double worst = 0;
            for (int i = 0; i < e.Values.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(e.Values[i] - g.Values[i]));
            }

            changes.Add(new OutputChange(e.Name, worst, OptimizationProof.MaxRelativeError(e.Values, g.Values)));
        }

        return changes;
    }
}
