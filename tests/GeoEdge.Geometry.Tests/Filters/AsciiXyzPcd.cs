using System.Globalization;

namespace GeoEdge.Geometry.Tests.Filters;

/// <summary>Test-only reader for the ascii x y z PCD fixtures (the product's PCD reader lives elsewhere).</summary>
internal static class AsciiXyzPcd
{
    public static PointCloud Read(string path)
    {
        var values = new List<float>();
        bool data = false;
        foreach (string line in File.ReadLines(path))
        {
            if (!data)
            {
                data = line.StartsWith("DATA ascii", StringComparison.Ordinal);
                continue;
            }

            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3)
            {
                for (int d = 0; d < 3; d++)
                {
                    values.Add(float.Parse(parts[d], CultureInfo.InvariantCulture));
                }
            }
        }

        return new PointCloud([.. values]);
    }
}
