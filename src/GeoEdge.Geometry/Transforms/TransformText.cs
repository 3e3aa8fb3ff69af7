using System.Globalization;

namespace GeoEdge.Geometry.Transforms;

/// <summary>Formats transform parameters the way Python's repr does (0.05, True), whatever the culture.</summary>
internal static class TransformText
{
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "True" : "False";
}
