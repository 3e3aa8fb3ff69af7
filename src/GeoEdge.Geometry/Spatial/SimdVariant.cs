using System.Runtime.Intrinsics;

namespace GeoEdge.Geometry.Spatial;

/// <summary>The distance-kernel implementations; every one gives bit-identical results.</summary>
internal enum SimdVariant
{
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}

/// <summary>Picks the distance kernel once per process: the widest accelerated one, or GEOEDGE_SIMD.</summary>
internal static class SimdSelection
{
    internal const string EnvironmentVariable = "GEOEDGE_SIMD";

    /// <summary>The variant searches use unless a caller names one (tests do).</summary>
    internal static SimdVariant Default { get; } = Choose(Environment.GetEnvironmentVariable(EnvironmentVariable), Best());

    /// <summary>Every variant: tests run each one, accelerated or not, since results must not depend on it.</summary>
    internal static IReadOnlyList<SimdVariant> All { get; } =
        [SimdVariant.Scalar, SimdVariant.Vector128, SimdVariant.Vector256, SimdVariant.Vector512];

    /// <summary>The widest variant the hardware accelerates.</summary>
    internal static SimdVariant Best() =>
        Vector512.IsHardwareAccelerated ? SimdVariant.Vector512
        : Vector256.IsHardwareAccelerated ? SimdVariant.Vector256
        : Vector128.IsHardwareAccelerated ? SimdVariant.Vector128
        : SimdVariant.Scalar;

    /// <summary>
    /// Reads an override (scalar, vector128, vector256, vector512; case-insensitive). A named variant is
    /// honoured even when not accelerated (the runtime then emulates it: slower, same results); an empty
    /// or unknown value keeps <paramref name="fallback"/> rather than failing inside a type initializer.
    /// </summary>
    internal static SimdVariant Choose(string? value, SimdVariant fallback) => value?.Trim().ToUpperInvariant() switch
    {
        "SCALAR" => SimdVariant.Scalar,
        "VECTOR128" => SimdVariant.Vector128,
        "VECTOR256" => SimdVariant.Vector256,
        "VECTOR512" => SimdVariant.Vector512,
        _ => fallback,
    };
}
