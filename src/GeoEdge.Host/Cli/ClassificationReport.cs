using System.Globalization;
using System.Text.Json;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Cli;

/// <summary>What `geoedge classify` reports per file, as text or as JSON whose numbers round-trip exactly.</summary>
/// <remarks>Timings are left out on purpose: the JSON of two builds run on the same files must be byte-identical
/// when their arithmetic is. Utf8JsonWriter writes float and double in the shortest form that parses back to the
/// same bits (the "R" round-trip guarantee), so a byte comparison is a bit comparison.</remarks>
internal sealed class ClassificationReport(ModelBundle bundle)
{
    private readonly List<(string File, PipelineResult<CloudClassification> Result)> _results = [];

    public int RejectedCount { get; private set; }

    public void Add(string file, PipelineResult<CloudClassification> result)
    {
        _results.Add((file, result));
        if (!result.IsSuccess)
        {
            RejectedCount++;
        }
    }

    public void WriteText(TextWriter output)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        foreach ((string file, PipelineResult<CloudClassification> result) in _results)
        {
            if (result.Value is { } v)
            {
                string ood = v.Ood.IsOutOfDistribution ? " out-of-distribution" : string.Empty;
                output.WriteLine(string.Create(c, $"{file}: {v.LabelName} (class {v.Label}, p={v.Confidence:0.0000}){ood}"));
            }
            else
            {
                output.WriteLine($"{file}: rejected, {result.Rejection}");
            }
        }
    }

    public void WriteJson(Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("bundle");
        json.WriteString("name", bundle.Manifest.Name);
        json.WriteString("version", bundle.Manifest.Version);
        json.WriteString("manifestSha256", bundle.ManifestSha256);
        json.WriteEndObject();
        json.WriteStartArray("results");
        foreach ((string file, PipelineResult<CloudClassification> result) in _results)
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            if (result.Value is { } v)
            {
                WriteClassification(json, v);
            }
            else
            {
                json.WriteStartObject("rejected");
                json.WriteString("reason", result.Reason.ToString());
                json.WriteString("detail", result.Rejection!.Detail);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteClassification(Utf8JsonWriter json, CloudClassification v)
    {
        json.WriteString("label", v.LabelName);
        json.WriteNumber("index", v.Label);
        json.WriteNumber("inputPoints", v.InputPoints);
        json.WriteStartArray("topK");
        foreach (ClassProbability p in v.TopK)
        {
            json.WriteStartObject();
            json.WriteNumber("index", p.Index);
            json.WriteString("label", p.Name);
            WriteNumber(json, "probability", p.Probability);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("logits");
        foreach (float logit in v.Logits)
        {
            WriteNumberValue(json, logit);
        }

        json.WriteEndArray();
        json.WriteStartObject("ood");
        json.WriteString("score", v.Ood.Score);
        WriteNumber(json, "value", v.Ood.Value);
        json.WritePropertyName("threshold");
        if (v.Ood.Threshold is { } threshold)
        {
            WriteNumberValue(json, threshold);
        }
        else
        {
            json.WriteNullValue();
        }

        json.WriteBoolean("outOfDistribution", v.Ood.IsOutOfDistribution);
        json.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        json.WritePropertyName(name);
        WriteNumberValue(json, value);
    }

    // JSON has no NaN or infinity; a broken model's logits are still reported (as the strings "NaN", "Infinity") rather than lost.
    private static void WriteNumberValue(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteNumberValue(Utf8JsonWriter json, float value)
    {
        if (float.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }
}
