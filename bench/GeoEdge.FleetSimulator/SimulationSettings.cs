namespace GeoEdge.FleetSimulator;

/// <summary>What every simulated device shares: the server, the model the rollout moves, the intervals.</summary>
internal sealed record SimulationSettings(
    Uri ServerUrl,
    string Model,
    string FromVersion,
    int PollSeconds,
    int WindowSeconds,
    IReadOnlyDictionary<string, string> Attributes);
