using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Pipelines;

/// <summary>Reads the manifest's <c>ood.precisionFile</c>: the inverse shared covariance as a float32 .npy [d, d] in the verified bundle.</summary>
internal static class PrecisionMatrixFile
{
    public const string FieldPath = "$.ood.precisionFile";

    /// <summary>The matrix widened to double; every fault (unlisted, unreadable, wrong dtype or shape, non-finite) names <see cref="FieldPath"/>.</summary>
    public static double[,] Read(ModelBundle bundle, string name, ManifestFields fields)
    {
        // Only a listed file was hashed against the signed manifest; GetFilePath also resolves inside a .geob's extraction.
        if (!bundle.Manifest.Files.ContainsKey(name))
        {
            fields.Fail(FieldPath, $"'{name}' is not listed in $.files");
        }

        NpyArray array;
        try
        {
            array = NpyFile.Read(bundle.GetFilePath(name));
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return fields.Fail<double[,]>(FieldPath, $"'{name}': {e.Message}");
        }

        int[] shape = array.Shape;
        if (array.DType != NpyDType.Float32 || shape.Length != 2 || shape[0] != shape[1] || shape[0] == 0)
        {
            fields.Fail(FieldPath, $"'{name}' holds {array.DType.ToString().ToLowerInvariant()} [{string.Join(", ", shape)}]; expected float32 [d, d]");
        }

        int d = shape[0];
        ReadOnlySpan<float> values = array.AsSpan<float>();
        var matrix = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                float v = values[(i * d) + j];
                if (!float.IsFinite(v))
                {
                    fields.Fail(FieldPath, $"'{name}'[{i}, {j}] is {v}, not a finite number");
                }

                matrix[i, j] = v;
            }
        }

        return matrix;
    }
}
