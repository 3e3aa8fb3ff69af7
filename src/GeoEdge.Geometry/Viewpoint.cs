namespace GeoEdge.Geometry;

/// <summary>Sensor acquisition pose (PCD VIEWPOINT): translation then unit quaternion (w, x, y, z).</summary>
public readonly record struct Viewpoint(double Tx, double Ty, double Tz, double Qw, double Qx, double Qy, double Qz)
{
    public static Viewpoint Identity { get; } = new(0, 0, 0, 1, 0, 0, 0);
}
