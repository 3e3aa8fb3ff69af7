using System.Globalization;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Runtime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GeoEdge.Host.Models;

/// <summary>The checks a freshly loaded pipeline must pass before it may serve: outputs of the manifest's shape, all finite.</summary>
/// <remarks>
/// Two runs: the raw session on its reference input (all-zero tensors: the normalized mean for a sensor window, the
/// centre point with neighbour 0 for a cloud), whose every output must match the manifest's declared shape (symbolic
/// dimensions taken as 1) and hold only finite floats; and, for point clouds, the whole pipeline (guards, sampling,
/// kNN, model, softmax) on a deterministic sphere of the model's point count, which must be classified, not rejected.
/// A bundle whose graph was swapped for a broken or mismatched one fails here, before any caller sees it.
/// </remarks>
internal static class PipelineSelfTest
{
    /// <summary>One end-to-end run, so the first real inference pays no first-run costs (preprocessing buffers, kNN pools).</summary>
    public static void WarmUp(ModelPipeline pipeline)
    {
        if (pipeline.PointCloud is { } classification)
        {
            _ = classification.Classify(ReferenceSphere(classification.Points));
        }
        else
        {
            _ = RunReferenceInput(pipeline.Session, pipeline.Bundle.Manifest);
        }
    }

    /// <summary>Null when the pipeline passes; otherwise what failed.</summary>
    public static string? Run(ModelPipeline pipeline)
    {
        if (RunReferenceInput(pipeline.Session, pipeline.Bundle.Manifest) is { } failure)
        {
            return failure;
        }

        if (pipeline.PointCloud is { } classification)
        {
            PipelineResult<CloudClassification> result = classification.Classify(ReferenceSphere(classification.Points));
            if (result.Value is not { } value)
            {
                return $"the reference sphere was rejected: {result.Rejection}";
            }

            if (value.Logits.Length != classification.Labels.Count || !AllFinite(value.Logits) || !double.IsFinite(value.Confidence))
            {
                return $"the reference sphere gave {value.Logits.Length} logits (expected {classification.Labels.Count}) or a non-finite value";
            }
        }

        return null;
    }

    /// <summary>Row-major [n,3] points on the unit sphere (Fibonacci lattice): deterministic, distinct, inside any sane bounds.</summary>
    public static float[] ReferenceSphere(int n)
    {
        var points = new float[n * 3];
        double golden = Math.PI * (3 - Math.Sqrt(5));
        for (int i = 0; i < n; i++)
        {
            double y = 1 - ((2.0 * i) + 1) / n;
            double r = Math.Sqrt(1 - (y * y));
            double theta = golden * i;
            points[3 * i] = (float)(r * Math.Cos(theta));
            points[(3 * i) + 1] = (float)y;
            points[(3 * i) + 2] = (float)(r * Math.Sin(theta));
        }

        return points;
    }

    private static string? RunReferenceInput(ModelSession session, BundleManifest manifest)
    {
        using InferenceLease lease = session.Rent();
        for (int i = 0; i < session.Inputs.Count; i++)
        {
            lease.InputBytes(i).Clear();
        }

        lease.Run();
        foreach (TensorSpec spec in manifest.Outputs)
        {
            int index = OutputIndex(session, spec.Name);
            if (index < 0)
            {
                return $"the model has no output '{spec.Name}' that the manifest declares";
            }

            TensorDescription actual = session.Outputs[index];
            if (!ShapeMatches(spec.Shape, actual.Shape))
            {
                return string.Create(CultureInfo.InvariantCulture, $"output '{spec.Name}' has shape [{string.Join(", ", actual.Shape)}]; the manifest declares [{string.Join(", ", spec.Shape)}]");
            }

            if (actual.ElementType == TensorElementType.Float && !AllFinite(lease.Output<float>(index)))
            {
                return $"output '{spec.Name}' holds a NaN or infinity on the reference input";
            }
        }

        return null;
    }

    private static int OutputIndex(ModelSession session, string name)
    {
        for (int i = 0; i < session.Outputs.Count; i++)
        {
            if (session.Outputs[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool ShapeMatches(IReadOnlyList<TensorDimension> declared, long[] actual)
    {
        if (declared.Count != actual.Length)
        {
            return false;
        }

        for (int d = 0; d < actual.Length; d++)
        {
            long expected = declared[d].IsDynamic ? 1 : declared[d].Size;
            if (actual[d] != expected)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }
}
