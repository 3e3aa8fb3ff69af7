using GeoEdge.Host.Configuration;
using GeoEdge.Host.Metrics;
using GeoEdge.Host.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Service;

/// <summary>Brings every configured model to a verified, loaded, warmed active version before the service reports READY=1.</summary>
/// <remarks>
/// Runs first among the hosted services and completes inside StartAsync, so the host's "started" moment (and with it the
/// READY=1 notification) comes only after it: recovery of interrupted activations, then first-start installation of
/// the bundles the config names for models the store has no active version of. A model that cannot be brought up
/// stops the start with <see cref="DeviceStartException"/>: running half the configured pipelines silently would hide it.
/// </remarks>
internal sealed class ModelBootstrap(DeviceOptions options, ModelStore store, MetricsRegistry metrics, ILogger<ModelBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (RecoveryReport report in await store.RecoverAsync(cancellationToken).ConfigureAwait(false))
        {
            if (report.Problem is not null)
            {
                Log.RecoveryProblem(logger, report.Model, report.Problem);
            }
        }

        foreach (ModelOptions model in options.Models)
        {
            ModelSlot<ModelPipeline> slot = store.Slot(model.Name);
            if (slot.IsEmpty && model.Bundle is not null)
            {
                InstallResult installed = await store.InstallAsync(model.Bundle, cancellationToken).ConfigureAwait(false);
                if (installed.Model != model.Name)
                {
                    throw new DeviceStartException($"models[{model.Name}].bundle: {model.Bundle} holds model '{installed.Model}'");
                }

                Log.ModelInstalled(logger, model.Name, installed.Version, model.Bundle);
                ActivationResult activated = await store.ActivateAsync(model.Name, installed.Version, cancellationToken).ConfigureAwait(false);
                if (!activated.Succeeded)
                {
                    Log.ActivationFailed(logger, model.Name, installed.Version, activated.Reason ?? "unknown");
                }
            }

            if (!slot.TryAcquire(out ModelLease<ModelPipeline> lease))
            {
                throw new DeviceStartException($"model {model.Name}: no active version runs (store {store.ModelsDirectory}; configure models[].bundle or install one with 'geoedge models install')");
            }

            using (lease)
            {
                string provider = lease.Pipeline.Session.Providers.Active.ToString().ToLowerInvariant();
                metrics.SetActiveModel(model.Name, lease.Version);
                metrics.SetExecutionProvider(provider);
                Log.ModelReady(logger, model.Name, lease.Version, provider);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The service cannot start as configured; the message says which part and why.</summary>
public sealed class DeviceStartException : Exception
{
    public DeviceStartException()
    {
    }

    public DeviceStartException(string message)
        : base(message)
    {
    }

    public DeviceStartException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
