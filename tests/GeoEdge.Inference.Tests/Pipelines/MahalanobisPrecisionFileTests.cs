using System.Text.Json.Nodes;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Tests.Models;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>The Mahalanobis precision matrix as a signed bundle file (<c>ood.precisionFile</c>) instead of inline JSON: same distances, verified bytes, named faults.</summary>
[Trait("Category", "Integration")]
public sealed class MahalanobisPrecisionFileTests : IDisposable
{
    private const string FileName = "ood-precision.npy";
    private static readonly ShapesReference Reference = ShapesReference.Instance;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static TrustedKeys Trusted => TrustedKeys.FromPemFiles(ShippedModels.DevPublicKey);

    [Fact]
    public void File_form_in_a_geob_scores_like_the_inline_covariance_to_float32_rounding()
    {
        int d = Reference.EmbeddingWidth;
        double[,] covariance = Covariance(d);
        string npy = WritePrecision(Float32(MahalanobisScorer.Invert(covariance)!));
        using ModelBundle inline = PipelineBundles.Repacked(ShippedModels.Shapes, _temp, spec => spec["ood"] = Ood(new JsonObject
        {
            ["covariance"] = Matrix(covariance),
            ["covarianceIsInverse"] = false,
        }));
        string geob = PipelineBundles.RepackedPath(ShippedModels.Shapes, _temp, spec => spec["ood"] = Ood(new JsonObject { ["precisionFile"] = FileName }), [npy], _temp.File("file-form.geob"));
        using ModelBundle file = ModelBundle.Open(geob, Trusted);
        using var inlinePipeline = new PointCloudClassification(inline, PipelineBundles.CloudOptions);
        using var filePipeline = new PointCloudClassification(file, PipelineBundles.CloudOptions);

        // The scorer read the extraction directory's verified copy.
        Assert.StartsWith(file.Directory, file.GetFilePath(FileName), StringComparison.Ordinal);
        for (int s = 0; s < Reference.Samples; s++)
        {
            double expected = PointCloudClassificationTests.Classify(inlinePipeline, Reference.Cloud(s)).Ood.MahalanobisDistance!.Value;
            double actual = PointCloudClassificationTests.Classify(filePipeline, Reference.Cloud(s)).Ood.MahalanobisDistance!.Value;
            Assert.True(Math.Abs(actual - expected) <= 1e-5 * expected, $"sample {s}: file form {actual}, inline {expected}");
        }
    }

    [Fact]
    public void A_tampered_precision_file_fails_verification_naming_the_file()
    {
        string bundle = PipelineBundles.RepackedPath(ShippedModels.Shapes, _temp, spec => spec["ood"] = Ood(new JsonObject { ["precisionFile"] = FileName }), [WritePrecision(Identity(Reference.EmbeddingWidth))]);
        string path = Path.Combine(bundle, FileName);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        BundleVerificationException e = Assert.Throws<BundleVerificationException>(() => ModelBundle.Open(bundle, Trusted));

        Assert.Equal((BundleCheck.HashMismatch, FileName), (e.Check, e.Subject));
    }

    [Fact]
    public void A_listed_precision_file_that_is_gone_fails_verification_naming_the_file()
    {
        string bundle = PipelineBundles.RepackedPath(ShippedModels.Shapes, _temp, spec => spec["ood"] = Ood(new JsonObject { ["precisionFile"] = FileName }), [WritePrecision(Identity(Reference.EmbeddingWidth))]);
        File.Delete(Path.Combine(bundle, FileName));

        BundleVerificationException e = Assert.Throws<BundleVerificationException>(() => ModelBundle.Open(bundle, Trusted));

        Assert.Equal((BundleCheck.FileMissing, FileName), (e.Check, e.Subject));
    }

    [Fact]
    public void A_precision_file_not_listed_in_files_is_refused_when_packing_at_its_field()
    {
        BundleSpecException e = Assert.Throws<BundleSpecException>(() =>
            PipelineBundles.RepackedPath(ShippedModels.Shapes, _temp, spec => spec["ood"] = Ood(new JsonObject { ["precisionFile"] = FileName })));

        Assert.Equal("$.ood.precisionFile: 'ood-precision.npy' is not listed in $.files", Assert.Single(e.Errors).ToString());
    }

    [Theory]
    [InlineData(NpyDType.Float32, 256, 128, "float32 [256, 128]")]
    [InlineData(NpyDType.Float64, 256, 256, "float64 [256, 256]")]
    [InlineData(NpyDType.Float32, 128, 128, null)]
    public void A_precision_file_of_the_wrong_dtype_or_shape_is_a_configuration_error_naming_the_field(NpyDType dtype, int rows, int columns, string? found)
    {
        var array = new NpyArray(dtype, [rows, columns], new byte[rows * columns * NpyArray.ElementSize(dtype)]);
        string npy = _temp.File(FileName);
        NpyFile.Write(npy, array);
        using ModelBundle bundle = ModelBundle.Open(PipelineBundles.RepackedPath(ShippedModels.Shapes, _temp, spec => spec["ood"] = Ood(new JsonObject { ["precisionFile"] = FileName }), [npy]), Trusted);

        var e = Assert.Throws<PipelineConfigurationException>(() => new PointCloudClassification(bundle, PipelineBundles.CloudOptions));

        // A square matrix of the wrong width is caught against the class means, still naming the file's field.
        string expected = found is null
            ? "$.ood.classMeans[0]: expected 128 numbers (the width of $.ood.precisionFile)"
            : $"$.ood.precisionFile: 'ood-precision.npy' holds {found}; expected float32 [d, d]";
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    /// <summary>Mahalanobis OOD section: class means of samples 0 and 1, plus <paramref name="matrix"/>'s properties.</summary>
    private static JsonObject Ood(JsonObject matrix)
    {
        var means = new JsonArray();
        foreach (int s in new[] { 0, 1 })
        {
            var row = new JsonArray();
            foreach (float v in Reference.EmbeddingOf(s))
            {
                row.Add((double)v);
            }

            means.Add(row);
        }

        var ood = new JsonObject { ["score"] = "mahalanobis", ["threshold"] = 5.0, ["classMeans"] = means };
        foreach ((string key, JsonNode? value) in matrix.ToArray())
        {
            matrix.Remove(key);
            ood[key] = value;
        }

        return ood;
    }

    /// <summary>A dense, well-conditioned covariance: 2 I plus a rank-one term coupling every pair of features.</summary>
    private static double[,] Covariance(int d)
    {
        var c = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                c[i, j] = (i == j ? 2.0 : 0.0) + (0.5 * Math.Cos(i) * Math.Cos(j));
            }
        }

        return c;
    }

    private static float[] Identity(int d)
    {
        var m = new float[d * d];
        for (int i = 0; i < d; i++)
        {
            m[(i * d) + i] = 1;
        }

        return m;
    }

    private static float[] Float32(double[,] m)
    {
        int d = m.GetLength(0);
        var values = new float[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                values[(i * d) + j] = (float)m[i, j];
            }
        }

        return values;
    }

    private string WritePrecision(float[] values)
    {
        int d = (int)Math.Sqrt(values.Length);
        string path = _temp.File(FileName);
        NpyFile.Write(path, NpyArray.FromFloat32(values, d, d));
        return path;
    }

    private static JsonArray Matrix(double[,] m)
    {
        var rows = new JsonArray();
        for (int i = 0; i < m.GetLength(0); i++)
        {
            var row = new JsonArray();
            for (int j = 0; j < m.GetLength(1); j++)
            {
                row.Add(m[i, j]);
            }

            rows.Add(row);
        }

        return rows;
    }
}
