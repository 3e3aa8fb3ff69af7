using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace GeoEdge.Geometry;

/// <summary>Throw helpers kept out of hot methods so those stay small enough to inline and optimize.</summary>
internal static class GeometryThrow
{
    [DoesNotReturn]
    [StackTraceHidden]
    public static void NonFinitePoint(int index, string paramName) =>
        throw new ArgumentException(
            $"point {index} has a non-finite coordinate (NaN or infinity); run RemoveNonFinite() first",
            paramName);

    [DoesNotReturn]
    [StackTraceHidden]
    public static void TooManyEdges(long edges, string paramName) =>
        throw new ArgumentException($"the graph would have {edges} edges, more than one int64 array can hold", paramName);
}
