using System.Runtime.InteropServices;

namespace GeoEdge.Geometry.Spatial;

/// <summary>One node of a <see cref="KdTree"/>: tight bounding box, slot range and lowest point index below it.</summary>
/// <remarks>
/// Nodes are stored in preorder: the left child of node n is n + 1, the right child is <see cref="Right"/>
/// (0 for a leaf, since the root is never anyone's child). <see cref="MinIndex"/> lets a search prune a
/// node at exactly the current worst distance when none of its points could win the lower-index tie-break,
/// which keeps all-duplicate clouds logarithmic instead of quadratic.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
internal struct KdNode
{
    public float MinX;
    public float MinY;
    public float MinZ;
    public float MaxX;
    public float MaxY;
    public float MaxZ;
    public int Start;
    public int End;
    public int Right;
    public int MinIndex;

    public readonly bool IsLeaf => Right == 0;

    /// <summary>
    /// Squared distance from q to this box, computed like a point distance so that float rounding keeps it
    /// a lower bound of every point inside (subtraction, squaring and addition are monotone under rounding).
    /// </summary>
    public readonly float SquaredDistanceTo(float qx, float qy, float qz)
    {
        float gx = MathF.Max(MathF.Max(MinX - qx, qx - MaxX), 0f);
        float gy = MathF.Max(MathF.Max(MinY - qy, qy - MaxY), 0f);
        float gz = MathF.Max(MathF.Max(MinZ - qz, qz - MaxZ), 0f);
        return (gx * gx) + (gy * gy) + (gz * gz);
    }

    /// <summary>
    /// Squared distance between this box and <paramref name="other"/>, a lower bound of the kernel's d2 for
    /// any point of one and any point of the other by the same monotone-rounding argument.
    /// </summary>
    public readonly float SquaredDistanceTo(in KdNode other)
    {
        float gx = MathF.Max(MathF.Max(other.MinX - MaxX, MinX - other.MaxX), 0f);
        float gy = MathF.Max(MathF.Max(other.MinY - MaxY, MinY - other.MaxY), 0f);
        float gz = MathF.Max(MathF.Max(other.MinZ - MaxZ, MinZ - other.MaxZ), 0f);
        return (gx * gx) + (gy * gy) + (gz * gz);
    }

    /// <summary>
    /// For q inside the box, the distance to its nearest face: every point outside the box is at least
    /// this far from q along one axis, so (gap * gap) bounds its squared distance from below.
    /// </summary>
    public readonly float GapInside(float qx, float qy, float qz)
    {
        float gx = MathF.Min(qx - MinX, MaxX - qx);
        float gy = MathF.Min(qy - MinY, MaxY - qy);
        float gz = MathF.Min(qz - MinZ, MaxZ - qz);
        return MathF.Min(MathF.Min(gx, gy), gz);
    }
}
