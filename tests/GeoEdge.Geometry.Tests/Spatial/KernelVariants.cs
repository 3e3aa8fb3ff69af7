using GeoEdge.Geometry.Spatial;

namespace GeoEdge.Geometry.Tests.Spatial;

/// <summary>Theory data naming every distance kernel (by name: the enum is internal, test methods are public).</summary>
internal static class KernelVariants
{
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (SimdVariant variant in SimdSelection.All)
        {
            data.Add(variant.ToString());
        }

        return data;
    }

    public static NeighbourSearchSettings Settings(string variant, int maxDegreeOfParallelism) =>
        new(Enum.Parse<SimdVariant>(variant), maxDegreeOfParallelism);
}
