using System.Text.Json.Nodes;

namespace GeoEdge.ModelTool.Prune;

/// <summary>The manifest's pruning section for a <see cref="PruneReport"/>: method, overall sparsity, per-layer target and achieved sparsity, FLOPs and parameters before/after.</summary>
/// <remarks>The schema's pruning section is open; everything past method/sparsity/structured is an extension field
/// (models/README.md). A structured "layer" is a channel group (its producing nodes); its sparsity is the fraction of
/// its channels removed, 0 for a group kept whole, with the reason.</remarks>
internal static class PruneManifestSection
{
    public static JsonObject Build(PruneReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var layers = new JsonArray();
        foreach (LayerSparsity l in r.Layers)
        {
            layers.Add((JsonNode)new JsonObject
            {
                ["node"] = l.Node,
                ["weight"] = l.Weight,
                ["elements"] = l.Elements,
                ["targetSparsity"] = r.Amount,
                ["achievedSparsity"] = l.SparsityAfter,
            });
        }

        foreach (GroupOutcome g in r.Groups)
        {
            var layer = new JsonObject
            {
                ["producers"] = new JsonArray([.. g.Producers.Select(static p => (JsonNode)JsonValue.Create(p))]),
                ["channelsBefore"] = g.ChannelsBefore,
                ["channelsAfter"] = g.ChannelsAfter,
                ["targetSparsity"] = r.Amount,
                ["achievedSparsity"] = g.ChannelsBefore == 0 ? 0 : (double)(g.ChannelsBefore - g.ChannelsAfter) / g.ChannelsBefore,
            };
            if (g.Refusal is not null)
            {
                layer["keptWholeBecause"] = g.Refusal;
            }

            layers.Add((JsonNode)layer);
        }

        var section = new JsonObject
        {
            ["method"] = r.ManifestMethod,
            ["sparsity"] = r.ManifestSparsity,
            ["structured"] = r.Mode == "structured",
            ["targetSparsity"] = r.Amount,
            ["flopsBefore"] = r.FlopsBefore,
            ["flopsAfter"] = r.FlopsAfter,
            ["parametersBefore"] = r.ParametersBefore,
            ["parametersAfter"] = r.ParametersAfter,
            ["layers"] = layers,
        };
        if (r.TestSamples is { } n)
        {
            section["testSamples"] = n;
            section["accuracyBefore"] = r.AccuracyBefore;
            section["accuracyAfter"] = r.AccuracyAfter;
        }

        return section;
    }
}
