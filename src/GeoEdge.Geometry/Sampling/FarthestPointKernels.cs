using System.Runtime.Intrinsics;

namespace GeoEdge.Geometry.Sampling;

/// <summary>Chooses the farthest-point kernel once at start: the widest accelerated vector, or GEOEDGE_SIMD's choice.</summary>
/// <remarks>
/// GEOEDGE_SIMD=scalar|vector128|vector256|vector512 forces a variant, even one the processor does not
/// accelerate (the runtime then emulates it: slow but identical), so tests and benchmarks can run each.
/// </remarks>
internal static class FarthestPointKernels
{
    public const string EnvironmentVariable = "GEOEDGE_SIMD";

    public static IReadOnlyList<IFarthestPointKernel> All { get; } =
    [
        ScalarFarthestPointKernel.Instance,
        Vector128FarthestPointKernel.Instance,
        Vector256FarthestPointKernel.Instance,
        Vector512FarthestPointKernel.Instance,
    ];

    public static IFarthestPointKernel Default { get; } = Choose(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The kernel named by <paramref name="requested"/>, or the best accelerated one when it is null or empty.</summary>
    public static IFarthestPointKernel Choose(string? requested)
    {
        if (!string.IsNullOrWhiteSpace(requested))
        {
            foreach (IFarthestPointKernel kernel in All)
            {
                if (string.Equals(kernel.Name, requested.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return kernel;
                }
            }

            throw new ArgumentException(
                $"{EnvironmentVariable}='{requested}' is not one of scalar, vector128, vector256, vector512", nameof(requested));
        }

        if (Vector512.IsHardwareAccelerated)
        {
            return Vector512FarthestPointKernel.Instance;
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return Vector256FarthestPointKernel.Instance;
        }

        return Vector128.IsHardwareAccelerated ? Vector128FarthestPointKernel.Instance : ScalarFarthestPointKernel.Instance;
    }
}
