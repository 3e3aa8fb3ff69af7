using System.Text.Json;

namespace GeoEdge.ModelTool.Prune;

/// <summary>Writes a <see cref="PruneReport"/> as JSON field by field (no reflection, AOT-safe).</summary>
internal static class PruneReportJson
{
    public static void Write(Stream stream, PruneReport r)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("mode", r.Mode);
        w.WriteNumber(r.Mode == "unstructured" ? "sparsity" : "ratio", r.Amount);
        if (r.Norm is not null)
        {
            w.WriteString("norm", r.Norm);
        }

        w.WriteStartArray("layers");
        foreach (LayerSparsity l in r.Layers)
        {
            w.WriteStartObject();
            w.WriteString("node", l.Node);
            w.WriteString("weight", l.Weight);
            w.WriteStartArray("shape");
            foreach (long d in l.Shape)
            {
                w.WriteNumberValue(d);
            }

            w.WriteEndArray();
            w.WriteNumber("elements", l.Elements);
            w.WriteNumber("zeros_before", l.ZerosBefore);
            w.WriteNumber("zeros_after", l.ZerosAfter);
            w.WriteNumber("sparsity_after", l.SparsityAfter);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("groups");
        foreach (GroupOutcome g in r.Groups)
        {
            w.WriteStartObject();
            w.WriteStartArray("producers");
            foreach (string p in g.Producers)
            {
                w.WriteStringValue(p);
            }

            w.WriteEndArray();
            w.WriteNumber("channels_before", g.ChannelsBefore);
            w.WriteNumber("channels_after", g.ChannelsAfter);
            w.WriteStartArray("removed");
            foreach (int c in g.Removed)
            {
                w.WriteNumberValue(c);
            }

            w.WriteEndArray();
            if (g.Refusal is not null)
            {
                w.WriteString("kept_whole_because", g.Refusal);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("flops_before", r.FlopsBefore);
        w.WriteNumber("flops_after", r.FlopsAfter);
        w.WriteNumber("parameters_before", r.ParametersBefore);
        w.WriteNumber("parameters_after", r.ParametersAfter);
        w.WriteString("proof_input", r.ProofInput);
        w.WriteStartArray("output_changes");
        foreach (OutputChange c in r.Changes)
        {
            w.WriteStartObject();
            w.WriteString("output", c.Output);
            w.WriteNumber("max_abs", c.MaxAbsolute);
            w.WriteNumber("max_rel", c.MaxRelative);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (r.MaskedProofError is { } masked)
        {
            w.WriteNumber("masked_model_max_rel_error", masked);
        }

        // The manifest's pruning section, ready to paste into a pack spec.
        w.WriteStartObject("manifest_pruning");
        w.WriteString("method", r.ManifestMethod);
        w.WriteNumber("sparsity", r.ManifestSparsity);
        w.WriteBoolean("structured", r.Mode == "structured");
        w.WriteEndObject();
        if (r.TestSamples is { } n)
        {
            w.WriteNumber("test_samples", n);
            w.WriteNumber("accuracy_before", r.AccuracyBefore!.Value);
            w.WriteNumber("accuracy_after", r.AccuracyAfter!.Value);
        }

        w.WriteEndObject();
    }
}
