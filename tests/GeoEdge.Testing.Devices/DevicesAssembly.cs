namespace GeoEdge.Testing.Devices;

/// <summary>Marks the shared simulated-hardware assembly.</summary>
internal static class DevicesAssembly;
