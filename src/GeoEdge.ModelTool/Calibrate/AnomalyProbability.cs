using System.Text.Json;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Calibrate;

/// <summary>The calibrated probability that a sensor is faulty given its window logit z: sigmoid(scale * z + bias), fitted by `calibrate` (Platt scaling).</summary>
/// <remarks>Stored in the manifest's open preprocessing section as <c>anomalyProbability</c>, next to the per-sensor thresholds
/// it accompanies: the strict <c>calibration</c> section holds a softmax temperature only (no bias), which cannot express it.</remarks>
internal sealed record AnomalyProbability(double Scale, double Bias, string FittedOn)
{
    public const string Field = "anomalyProbability";

    public double Of(double score) => PlattScaling.Sigmoid((Scale * score) + Bias);

    /// <summary>The manifest's fitted parameters, or null when it has none (an uncalibrated bundle).</summary>
    public static AnomalyProbability? Read(BundleManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Preprocessing?.Extensions?.TryGetValue(Field, out JsonElement e) != true)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("scale", out JsonElement scale) || scale.ValueKind != JsonValueKind.Number
            || !e.TryGetProperty("bias", out JsonElement bias) || bias.ValueKind != JsonValueKind.Number)
        {
            throw new FormatException($"$.preprocessing.{Field}: expected {{\"method\": \"platt\", \"scale\": number, \"bias\": number}}");
        }

        return new AnomalyProbability(scale.GetDouble(), bias.GetDouble(), e.TryGetProperty("fittedOn", out JsonElement on) ? on.GetString() ?? "?" : "?");
    }

    public JsonObject ToJson() => new()
    {
        ["method"] = "platt",
        ["formula"] = "p = sigmoid(scale * score + bias)",
        ["scale"] = Scale,
        ["bias"] = Bias,
        ["fittedOn"] = FittedOn,
    };
}
