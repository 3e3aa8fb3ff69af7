using System.Globalization;
using GeoEdge.Geometry;

namespace GeoEdge.Inference.Pipelines;

/// <summary>The checks a raw cloud passes before preprocessing; each failure is a typed rejection, never an exception.</summary>
internal static class PointCloudGuards
{
    /// <summary>Null when <paramref name="cloud"/> may be classified; <paramref name="usable"/> is then the cloud without its non-finite points.</summary>
    /// <remarks><paramref name="distinct"/> is the duplicate check's set, cleared and reused (the caller's, so a warm call allocates nothing).</remarks>
    public static PipelineRejection? Check(PointCloud cloud, PointCloudSettings settings, HashSet<(float, float, float)> distinct, out PointCloud usable, out int droppedNonFinite)
    {
        usable = cloud;
        droppedNonFinite = 0;
        if (cloud.BatchCount > 1)
        {
            return Reject(RejectionReason.WrongShape, $"a batch of {cloud.BatchCount} clouds; the pipeline classifies one cloud at a time");
        }

        int nonFinite = cloud.Count - cloud.CountFinite();
        if (nonFinite > settings.MaxNonFiniteFraction * cloud.Count)
        {
            return Reject(RejectionReason.NonFinitePoints, $"{nonFinite} of {cloud.Count} points have a NaN or infinite coordinate (at most {settings.MaxNonFiniteFraction:P1} are dropped)");
        }

        if (nonFinite > 0)
        {
            usable = cloud.RemoveNonFinite();
            droppedNonFinite = nonFinite;
        }

        return CheckCount(usable.Count, settings)
            ?? CheckBounds(usable, settings.Bounds)
            ?? CheckDuplicates(usable, settings.MaxDuplicateFraction, distinct);
    }

    public static PipelineRejection? CheckCount(int count, PointCloudSettings settings)
    {
        if (count == 0 || (count < settings.Points && !settings.AllowRepeat))
        {
            return Reject(RejectionReason.TooFewPoints, $"{count} usable points; the model takes {settings.Points}{(settings.AllowRepeat ? string.Empty : " and the manifest does not allow repeating points")}");
        }

        return null;
    }

    private static PipelineRejection? CheckBounds(PointCloud cloud, float[]? bounds)
    {
        if (bounds is null)
        {
            return null;
        }

        float[] p = cloud.Positions;
        int outside = 0, first = -1;
        for (int i = 0; i < p.Length; i++)
        {
            int axis = i % 3;
            if (p[i] < bounds[axis] || p[i] > bounds[axis + 3])
            {
                outside++;
                first = first < 0 ? i : first;
            }
        }

        if (outside == 0)
        {
            return null;
        }

        int axisOfFirst = first % 3;
        return Reject(RejectionReason.OutOfBounds, string.Create(CultureInfo.InvariantCulture,
            $"{outside} coordinate(s) outside the manifest's bounds; first: point {first / 3} {"xyz"[axisOfFirst]} = {p[first]} not in [{bounds[axisOfFirst]}, {bounds[axisOfFirst + 3]}]"));
    }

    private static PipelineRejection? CheckDuplicates(PointCloud cloud, double maxFraction, HashSet<(float, float, float)> distinct)
    {
        float[] p = cloud.Positions;
        distinct.Clear();
        distinct.EnsureCapacity(cloud.Count);
        for (int i = 0; i < p.Length; i += 3)
        {
            // float equality: +0 and -0 are one position, as they are to the kNN distance.
            distinct.Add((p[i] + 0f, p[i + 1] + 0f, p[i + 2] + 0f));
        }

        int copies = cloud.Count - distinct.Count;
        return copies > maxFraction * cloud.Count
            ? Reject(RejectionReason.DuplicateFlood, $"{copies} of {cloud.Count} points repeat another point ({distinct.Count} distinct; at most {maxFraction:P0} may repeat)")
            : null;
    }

    private static PipelineRejection Reject(RejectionReason reason, string detail) => new(reason, detail);
}
