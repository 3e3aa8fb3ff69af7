namespace GeoEdge.FleetServer.Storage;

/// <summary>One numbered schema change: SQL with {{type}} tokens the dialect expands.</summary>
/// <param name="Version">1, 2, 3 ... in order, no gaps.</param>
/// <param name="Name">What it adds (from the file name).</param>
/// <param name="Sql">The statements, separated by semicolons at line ends.</param>
public sealed record Migration(int Version, string Name, string Sql);
