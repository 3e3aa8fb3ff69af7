using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Datasets;
using GeoEdge.ModelTool.Evaluate;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;

namespace GeoEdge.ModelTool.Quantize;

/// <summary>A static-quantization calibration set from a folder of PCD/PLY files, each cloud run through the bundle manifest's preprocessing as evaluate runs it.</summary>
/// <remarks>Files ending .pcd or .ply (any case), in ordinal name order, the first <c>maxSamples</c>; read with the Geometry
/// readers (format from the file's first bytes), prepared by <see cref="CloudRunner.Prepare"/>: the manifest's SOR stage,
/// farthest-point sampling to its point count (clouds of exactly that count are used as they are), NormalizeScale, kNN.
/// The set's SHA-256 is that of the sorted "NAME SHA256\n" lines of the files used.</remarks>
internal static class CloudFolderCalibration
{
    public static (List<ProofTensor[]> Samples, string Sha256) Load(string folder, ModelBundle bundle, ModelProto model, int maxSamples)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(model);
        string[] files = [.. Directory.EnumerateFiles(folder)
            .Where(static f => f.EndsWith(".pcd", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".ply", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Take(maxSamples)];
        if (files.Length == 0)
        {
            throw new FormatException($"{folder}: no .pcd or .ply files to calibrate with");
        }

        using var runner = new CloudRunner(bundle);
        var graphInputs = new List<string>();
        var initializers = new HashSet<string>(model.Graph.Initializer.Select(static t => t.Name), StringComparer.Ordinal);
        foreach (ValueInfoProto v in model.Graph.Input)
        {
            if (!initializers.Contains(v.Name))
            {
                graphInputs.Add(v.Name);
            }
        }

        var samples = new List<ProofTensor[]>(files.Length);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            var positions = new float[runner.Points * 3];
            var knn = new long[runner.Points * runner.KnnWidth];
            try
            {
                runner.Prepare(PointCloudReader.Read(file).Cloud, outlierRemoval: true, positions, knn);
            }
            catch (FormatException e)
            {
                throw new FormatException($"{file}: {e.Message}", e);
            }

            var sample = new ProofTensor[graphInputs.Count];
            for (int i = 0; i < graphInputs.Count; i++)
            {
                sample[i] = graphInputs[i] == runner.PositionsInput ? new ProofTensor(graphInputs[i], [1, runner.Points, 3], positions, null)
                    : graphInputs[i] == runner.KnnInput ? new ProofTensor(graphInputs[i], [1, runner.Points, runner.KnnWidth], null, knn)
                    : throw new FormatException($"{bundle.Source}: the model input '{graphInputs[i]}' is neither the manifest's positions nor its neighbour input");
            }

            samples.Add(sample);
            hashes[Path.GetFileName(file)] = DatasetCardBuilder.FileSha256(file);
        }

        return (samples, DatasetCardBuilder.SetSha256(hashes));
    }
}
