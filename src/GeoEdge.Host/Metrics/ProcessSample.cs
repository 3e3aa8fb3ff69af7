namespace GeoEdge.Host.Metrics;

/// <summary>One reading of the process and the board: resident memory, CPU time, thermal zones.</summary>
/// <param name="ResidentBytes">VmRSS from /proc/self/status, or the working set where that file is missing.</param>
/// <param name="CpuSeconds">User + system CPU time of the process.</param>
/// <param name="Temperatures">Every readable thermal zone, in zone order; empty on boards (and containers) without one.</param>
public sealed record ProcessSample(long ResidentBytes, double CpuSeconds, IReadOnlyList<ThermalReading> Temperatures);

/// <summary>A thermal zone's temperature: its directory name, its declared type and degrees Celsius.</summary>
public readonly record struct ThermalReading(string Zone, string Type, double Celsius);
