using GeoEdge.Geometry.IO;

namespace GeoEdge.ModelTool.Running;

/// <summary>An array fed to the model input <see cref="Name"/>, with where it came from ("x.npy", "ref.npz:x") for error messages.</summary>
public sealed record InputArray(string Name, NpyArray Array, string Origin);
