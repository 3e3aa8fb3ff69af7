using System.Security.Cryptography;
using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Models;

namespace GeoEdge.Host.Fleet;

/// <summary>Builds the reported state from the model store (active and previous version of each model, with the SHA-256
/// of the manifest each runs) and PUTs it.</summary>
public sealed class StateReporter(FleetClient client, ModelStore store, string board, string agentVersion, IReadOnlyDictionary<string, string>? attributes)
{
    public ReportedState Build(long lastDesiredVersion, DesiredStatus status)
    {
        var models = new List<ReportedModel>();
        foreach (ModelSummary model in store.List())
        {
            models.Add(new ReportedModel(model.Name, Reference(model.Name, model.Active), Reference(model.Name, model.Previous)));
        }

        return new ReportedState(lastDesiredVersion, status, models, agentVersion, board, attributes is { Count: > 0 } ? attributes : null);
    }

    public Task ReportAsync(long lastDesiredVersion, DesiredStatus status, CancellationToken cancellationToken) =>
        client.PutReportedAsync(Build(lastDesiredVersion, status), cancellationToken);

    private ModelVersionReference? Reference(string model, string? version)
    {
        if (version is null)
        {
            return null;
        }

        string manifest = Path.Combine(store.ModelsDirectory, model, version, "manifest.json");
        return new ModelVersionReference(version, File.Exists(manifest) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(manifest))) : string.Empty);
    }
}
