using GeoEdge.Geometry.Spatial;

namespace GeoEdge.Geometry.Sampling;

/// <summary>The farthest-point kernels, and the one used by default: the variant SimdSelection picked for the process.</summary>
/// <remarks>
/// GEOEDGE_SIMD=scalar|vector128|vector256|vector512 (read once by <see cref="SimdSelection"/>, shared with the
/// neighbour search) forces a variant, even one the processor does not accelerate (the runtime then
/// emulates it: slow but identical), so tests and benchmarks can run each.
/// </remarks>
internal static class FarthestPointKernels
{
    public static IReadOnlyList<IFarthestPointKernel> All { get; } =
    [
        ScalarFarthestPointKernel.Instance,
        Vector128FarthestPointKernel.Instance,
        Vector256FarthestPointKernel.Instance,
        Vector512FarthestPointKernel.Instance,
    ];

    public static IFarthestPointKernel Default { get; } = For(SimdSelection.Default);

    public static IFarthestPointKernel For(SimdVariant variant) => variant switch
    {
        SimdVariant.Scalar => ScalarFarthestPointKernel.Instance,
        SimdVariant.Vector128 => Vector128FarthestPointKernel.Instance,
        SimdVariant.Vector256 => Vector256FarthestPointKernel.Instance,
        _ => Vector512FarthestPointKernel.Instance,
    };

    /// <summary>The kernel named by <paramref name="requested"/> (strict: unknown names throw), or the best accelerated one when it is null or empty.</summary>
    public static IFarthestPointKernel Choose(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return For(SimdSelection.Best());
        }

        foreach (IFarthestPointKernel kernel in All)
        {
            if (string.Equals(kernel.Name, requested.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return kernel;
            }
        }

        throw new ArgumentException(
            $"{SimdSelection.EnvironmentVariable}='{requested}' is not one of scalar, vector128, vector256, vector512", nameof(requested));
    }
}
