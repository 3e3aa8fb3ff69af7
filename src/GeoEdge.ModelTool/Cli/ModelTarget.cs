using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Calibrate;

namespace GeoEdge.ModelTool.Cli;

/// <summary>What prune and quantize read and write: an .onnx file, or a bundle re-signed with the new graph and a manifest that records the edit.</summary>
/// <remarks>A bundle input needs --key (the output is signed) and is verified like any other verb's bundle (--trusted,
/// the key's own public half, or --allow-unsigned). The calibration, OOD and evaluation sections were fitted to or
/// measured on the input graph, so they are dropped rather than carried over as if they described the new one.</remarks>
internal sealed class ModelTarget : IDisposable
{
    /// <summary>Manifest sections that describe the graph's outputs and so go stale when the graph changes.</summary>
    public static readonly string[] StaleSections = ["calibration", "ood", "evaluation"];

    private readonly ECDsa? _key;

    private ModelTarget(string input, ModelBundle? bundle, ECDsa? key)
    {
        Input = input;
        Bundle = bundle;
        _key = key;
    }

    public string Input { get; }

    /// <summary>The opened input bundle; null for a plain .onnx input.</summary>
    public ModelBundle? Bundle { get; }

    /// <summary>The ONNX graph to read: the bundle's verified model file or the .onnx input.</summary>
    public string ModelPath => Bundle?.ModelPath ?? Input;

    public static bool IsBundle(string path) =>
        path.EndsWith(ModelBundle.ArchiveExtension, StringComparison.OrdinalIgnoreCase) || File.Exists(Path.Combine(path, BundleManifest.FileName));

    public static ModelTarget Open(string input, VerbArguments a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (!IsBundle(input))
        {
            if (a.Single("--key") is not null || a.Has("--allow-unsigned") || a.All("--trusted").Count > 0)
            {
                throw new UsageException("--key, --trusted and --allow-unsigned apply to a bundle input only");
            }

            return new ModelTarget(input, null, null);
        }

        ECDsa key = BundleSigningKey.LoadPem(a.Required("--key", "KEY.pem (a bundle input is written as a signed bundle)"));
        try
        {
            return new ModelTarget(input, BundleArguments.Open(input, a, key), key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Writes the new graph to <paramref name="output"/>: the .onnx itself, or a bundle whose manifest gets <paramref name="section"/> = <paramref name="record"/>.</summary>
    public void Write(string output, Action<Stream> model, string section, JsonObject record, TextWriter stdout, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        if (Bundle is null)
        {
            Geometry.IO.AtomicFile.Write(output, model);
            stdout.WriteLine($"wrote {output}");
            return;
        }

        var dropped = new List<string>();
        PackedBundle packed = BundleRewriter.Rewrite(Bundle, manifest =>
        {
            foreach (string stale in StaleSections)
            {
                if (manifest.Remove(stale))
                {
                    dropped.Add(stale);
                }
            }

            // A sensor model's anomaly probability was fitted to the input graph's logits too. Its per-sensor thresholds
            // stay (the pipeline needs them) and are refitted by calibrate.
            if (manifest["preprocessing"] is JsonObject pre && pre.Remove(AnomalyProbability.Field))
            {
                dropped.Add($"preprocessing.{AnomalyProbability.Field}");
            }

            manifest[section] = record;
        }, _key!, output, time, model);
        stdout.WriteLine($"wrote {packed.Path} ({section} section; manifest sha256 {packed.ManifestSha256}, signed by {packed.KeyId})");
        if (dropped.Count > 0)
        {
            stdout.WriteLine($"dropped {string.Join(", ", dropped)}: fitted on the input graph (run calibrate and evaluate on {packed.Path})");
        }
    }

    public void Dispose()
    {
        Bundle?.Dispose();
        _key?.Dispose();
    }
}
