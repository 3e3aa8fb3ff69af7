using System.Text.Json.Nodes;

namespace GeoEdge.ModelTool.Quantize;

/// <summary>Where a static quantization's activation ranges came from: the method, the calibration set's SHA-256 and how many samples were used.</summary>
/// <param name="Sha256">SHA-256 of the .npz file, or for a folder of clouds of the sorted "NAME SHA256\n" lines of its files.</param>
internal sealed record CalibrationSource(CalibrationMethod Method, double? Percentile, string Name, string Sha256, int Samples);

/// <summary>The manifest's quantization section: method, element types, per-channel, weight bits, calibration set and the nodes kept in float.</summary>
/// <remarks>The schema's quantization section is open; fields past method/weightType/activationType/perChannel/
/// calibrationSamples are extension fields (models/README.md).</remarks>
internal static class QuantizeManifestSection
{
    public static JsonObject Build(bool isStatic, QuantizeOptions options, QuantizeReport report, CalibrationSource? calibration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        var quantized = new JsonObject();
        foreach ((string op, int n) in report.Quantized)
        {
            if (n > 0)
            {
                quantized[op] = n;
            }
        }

        var section = new JsonObject
        {
            ["method"] = isStatic ? "static" : "dynamic",
            ["format"] = isStatic ? "qdq" : "matmul-integer",
            ["weightType"] = "int8",

            // Static: uint8 QuantizeLinear/DequantizeLinear pairs with calibrated ranges; dynamic: DynamicQuantizeLinear at run time.
            ["activationType"] = "uint8",
            ["perChannel"] = options.PerChannel,
            ["weightBits"] = options.WeightLimit == 127 ? 8 : 7,
            ["quantizedNodes"] = quantized,
            ["keepFloat"] = Strings(options.KeepFloat.Order(StringComparer.Ordinal)),
            ["keptFloatNodes"] = Strings(report.KeptFloatNodes),
        };
        if (isStatic)
        {
            section["activations"] = report.Activations;
        }

        if (calibration is not null)
        {
            section["calibrationSamples"] = calibration.Samples;
            section["calibrationMethod"] = calibration.Method.ToString().ToLowerInvariant();
            if (calibration.Method == CalibrationMethod.Percentile)
            {
                section["calibrationPercentile"] = calibration.Percentile;
            }

            section["calibrationSet"] = new JsonObject
            {
                ["name"] = calibration.Name,
                ["sha256"] = calibration.Sha256,
                ["samples"] = calibration.Samples,
            };
        }

        return section;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(static v => (JsonNode)JsonValue.Create(v))]);
}
