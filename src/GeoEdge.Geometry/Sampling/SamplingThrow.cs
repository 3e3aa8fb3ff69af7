using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace GeoEdge.Geometry.Sampling;

/// <summary>Throw helpers that keep the sampling loops small.</summary>
internal static class SamplingThrow
{
    [DoesNotReturn]
    [StackTraceHidden]
    public static void SliceTooShort() =>
        throw new ArgumentException("coordinate slices are shorter than the distance slice");

    [DoesNotReturn]
    [StackTraceHidden]
    public static void NonFinitePoint(int index, string paramName) =>
        throw new ArgumentException(
            $"point {index} has a NaN or infinite coordinate; farthest point sampling needs finite positions (call RemoveNonFinite first)",
            paramName);

    [DoesNotReturn]
    [StackTraceHidden]
    public static void VoxelIndexOverflow(string size, long nx, long ny, long nz, long examples) =>
        throw new ArgumentException(
            $"voxel size {size} is too small for this cloud: a grid of {nx} x {ny} x {nz} voxels x {examples} examples overflows the 64-bit voxel index",
            "size");

    [DoesNotReturn]
    [StackTraceHidden]
    public static void VoxelExtentOverflow(string size, int axis) =>
        throw new ArgumentException(
            $"voxel size {size} is too small for this cloud: the extent along axis {axis} spans more than 2^62 voxels",
            "size");
}
