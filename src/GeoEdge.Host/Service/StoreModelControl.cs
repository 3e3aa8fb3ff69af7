using System.Security.Cryptography;
using GeoEdge.Host.Diagnostics;
using GeoEdge.Host.Events;
using GeoEdge.Host.Metrics;
using GeoEdge.Host.Models;
using GeoEdge.Inference.Bundles;
using StoreSummary = GeoEdge.Host.Models.ModelSummary;

namespace GeoEdge.Host.Service;

/// <summary>The diagnostics API's model operations over the device's model store: the store's own state machine does the
/// work; this adapter maps its results to the API's outcomes and tells metrics and the event sinks what changed.</summary>
internal sealed class StoreModelControl(ModelStore store, MetricsRegistry metrics, IEventSink events, TimeProvider time) : IModelControl
{
    public Task<IReadOnlyList<GeoEdge.Host.Diagnostics.ModelSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var list = new List<GeoEdge.Host.Diagnostics.ModelSummary>();
        foreach (StoreSummary s in store.List())
        {
            list.Add(new GeoEdge.Host.Diagnostics.ModelSummary(s.Name, s.Active, s.Previous, s.Installed));
        }

        return Task.FromResult<IReadOnlyList<GeoEdge.Host.Diagnostics.ModelSummary>>(list);
    }

    public async Task<ModelControlResult> ActivateAsync(string model, string version, CancellationToken cancellationToken)
    {
        StoreSummary? summary = Find(model);
        if (summary is null)
        {
            return new ModelControlResult(ModelControlOutcome.UnknownModel, model, null, null, $"no model '{model}' is installed");
        }

        if (!summary.Installed.Contains(version))
        {
            return new ModelControlResult(ModelControlOutcome.UnknownVersion, model, summary.Active, summary.Previous, $"{model} has no installed version {version} (installed: {string.Join(", ", summary.Installed)})");
        }

        ActivationResult result = await store.ActivateAsync(model, version, cancellationToken).ConfigureAwait(false);
        return Report(result, DeviceEventKind.Activation, ModelControlOutcome.Activated);
    }

    public async Task<ModelControlResult> RollbackAsync(string model, CancellationToken cancellationToken)
    {
        StoreSummary? summary = Find(model);
        if (summary is null)
        {
            return new ModelControlResult(ModelControlOutcome.UnknownModel, model, null, null, $"no model '{model}' is installed");
        }

        if (summary.Previous is null)
        {
            return new ModelControlResult(ModelControlOutcome.Refused, model, summary.Active, null, $"{model} has no previous version to roll back to");
        }

        ActivationResult result = await store.RollbackAsync(model, cancellationToken).ConfigureAwait(false);
        return Report(result, DeviceEventKind.Rollback, ModelControlOutcome.RolledBack);
    }

    public async Task<ModelControlResult> InstallAsync(string bundlePath, CancellationToken cancellationToken)
    {
        try
        {
            InstallResult installed = await store.InstallAsync(bundlePath, cancellationToken).ConfigureAwait(false);
            StoreSummary? after = Find(installed.Model);
            return new ModelControlResult(ModelControlOutcome.Installed, installed.Model, after?.Active, after?.Previous, installed.ToString());
        }
        catch (Exception e) when (e is BundleVerificationException or ModelStoreException or IOException or UnauthorizedAccessException or CryptographicException)
        {
            return new ModelControlResult(ModelControlOutcome.Refused, Path.GetFileName(bundlePath), null, null, e.Message);
        }
    }

    private ModelControlResult Report(ActivationResult result, DeviceEventKind kind, ModelControlOutcome success)
    {
        StoreSummary? after = Find(result.Model);
        if (result.Active is { } active)
        {
            metrics.SetActiveModel(result.Model, active);
        }

        events.Publish(new DeviceEvent(time.GetUtcNow(), string.Empty, result.Model, result.Version, result.Succeeded ? kind : DeviceEventKind.Error, Detail: result.ToString()));
        ModelControlOutcome outcome = result.Succeeded ? success
            : result.FinalState == ActivationState.Done ? ModelControlOutcome.Refused
            : ModelControlOutcome.Failed;
        return new ModelControlResult(outcome, result.Model, after?.Active ?? result.Active, after?.Previous, result.ToString());
    }

    private StoreSummary? Find(string model)
    {
        foreach (StoreSummary s in store.List())
        {
            if (s.Name == model)
            {
                return s;
            }
        }

        return null;
    }
}
