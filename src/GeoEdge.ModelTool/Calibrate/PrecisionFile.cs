using GeoEdge.Geometry.IO;

namespace GeoEdge.ModelTool.Calibrate;

/// <summary>Writes the Mahalanobis precision matrix (inverse shared covariance) as the bundle file the manifest's <c>ood.precisionFile</c> names.</summary>
/// <remarks>float32 like the embeddings it scores: 256 KiB for a 256-wide embedding instead of ~2 MB of JSON numbers in the manifest.</remarks>
internal static class PrecisionFile
{
    public const string Name = "ood-precision.npy";

    /// <summary>Writes <see cref="Name"/> into <paramref name="directory"/> (atomically) and returns its path.</summary>
    public static string Write(string directory, double[,] precision)
    {
        ArgumentNullException.ThrowIfNull(precision);
        int d = precision.GetLength(0);
        var values = new float[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                values[(i * d) + j] = (float)precision[i, j];
            }
        }

        string path = Path.Combine(directory, Name);
        NpyFile.Write(path, NpyArray.FromFloat32(values, d, d));
        return path;
    }
}
