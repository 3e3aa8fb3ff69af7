using System.Security.Cryptography;
using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Models;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Host.Fleet;

/// <summary>What each OTA state does, as one outcome event; the model store does every install, activation and
/// rollback (the agent never swaps models its own way).</summary>
public sealed class OtaSteps(ModelStore store, BundleDownload download, AgentFiles files, IReadOnlyCollection<string>? knownModels)
{
    /// <summary>Runs <paramref name="record"/>'s state; <paramref name="post"/> queues an in-state status (activating).</summary>
    public async Task<(OtaEvent Event, string? Details)> RunAsync(OtaRecord record, Action<ActionStatus> post, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(post);
        Assignment a = record.Assignment;
        try
        {
            return record.State switch
            {
                OtaState.Idle => Idle(a),
                OtaState.Download => await DownloadAsync(a, cancellationToken).ConfigureAwait(false),
                OtaState.Verify => await VerifyAsync(a, cancellationToken).ConfigureAwait(false),
                OtaState.Install => await InstallAsync(a, cancellationToken).ConfigureAwait(false),
                OtaState.Activate => await ActivateAsync(a, post, cancellationToken).ConfigureAwait(false),
                OtaState.Commit => Commit(a),
                OtaState.Rollback => await RollbackAsync(a, cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"{record.State} is terminal; nothing runs in it"),
            };
        }
        catch (FleetRequestException e)
        {
            return (e.Transient ? OtaEvent.Error : OtaEvent.Failed, e.Message);
        }
        catch (IOException e)
        {
            return (OtaEvent.Error, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Deletes what the action downloaded (after it ended, either way).</summary>
    public void CleanUp(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        string bundle = files.Bundle(assignment.Bundle.Sha256);
        DurableFile.Delete(bundle + ".part.json");
        DurableFile.Delete(bundle + ".part");
        DurableFile.Delete(bundle);
    }

    private (OtaEvent, string?) Idle(Assignment a)
    {
        if (knownModels is not null && !knownModels.Contains(a.ModelName))
        {
            return (OtaEvent.Rejected, $"this device runs no model named '{a.ModelName}'");
        }

        // Checked before anything is downloaded: a window the device cannot read would otherwise surface only at
        // Activate, after the download and install, as an exception on every pass.
        if (a.MaintenanceWindow?.Problem() is { } malformed)
        {
            return (OtaEvent.WindowMalformed, malformed);
        }

        foreach (ModelSummary model in store.List())
        {
            if (model.Name == a.ModelName && model.Active == a.Version && model.Serving == a.Version)
            {
                return (OtaEvent.AlreadyActive, $"{a.ModelName} {a.Version} is already active");
            }
        }

        return (OtaEvent.Assigned, null);
    }

    private async Task<(OtaEvent, string?)> DownloadAsync(Assignment a, CancellationToken cancellationToken)
    {
        try
        {
            await download.DownloadAsync(a.Bundle.Url, a.Bundle.Size, files.Bundle(a.Bundle.Sha256), null, cancellationToken).ConfigureAwait(false);
            return (OtaEvent.Succeeded, null);
        }
        catch (InvalidDataException e)
        {
            return (OtaEvent.Failed, e.Message);
        }
    }

    private async Task<(OtaEvent, string?)> VerifyAsync(Assignment a, CancellationToken cancellationToken)
    {
        string bundle = files.Bundle(a.Bundle.Sha256);
        string actual;
        using (FileStream file = File.OpenRead(bundle))
        {
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
        }

        if (!string.Equals(actual, a.Bundle.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            DurableFile.Delete(bundle);
            return (OtaEvent.Rejected, $"{bundle}: SHA-256 {actual}, the assignment says {a.Bundle.Sha256}");
        }

        return (OtaEvent.Succeeded, null);
    }

    private async Task<(OtaEvent, string?)> InstallAsync(Assignment a, CancellationToken cancellationToken)
    {
        try
        {
            InstallResult installed = await store.InstallAsync(files.Bundle(a.Bundle.Sha256), cancellationToken).ConfigureAwait(false);
            return installed.Model == a.ModelName && installed.Version == a.Version
                ? (OtaEvent.Succeeded, null)
                : (OtaEvent.Rejected, $"the bundle is {installed.Model} {installed.Version}; the assignment is {a.ModelName} {a.Version}");
        }
        catch (Exception e) when (e is BundleVerificationException or ModelStoreException or CryptographicException)
        {
            return (OtaEvent.Rejected, e.Message);
        }
    }

    private async Task<(OtaEvent, string?)> ActivateAsync(Assignment a, Action<ActionStatus> post, CancellationToken cancellationToken)
    {
        if (a.MaintenanceWindow?.Problem() is { } malformed)
        {
            return (OtaEvent.WindowMalformed, malformed); // an ota.json written before Idle checked the window
        }

        post(ActionStatus.Activating);
        ActivationResult result = await store.ActivateAsync(a.ModelName, a.Version, cancellationToken).ConfigureAwait(false);
        return result switch
        {
            { Succeeded: true } => (OtaEvent.Succeeded, null),
            { FinalState: ActivationState.Done } => (OtaEvent.Failed, result.Reason),
            _ => (OtaEvent.RolledBack, $"rolled back at {result.FailedAt}: {result.Reason}"),
        };
    }

    private (OtaEvent, string?) Commit(Assignment a)
    {
        foreach (ModelSummary model in store.List())
        {
            if (model.Name == a.ModelName)
            {
                return model.Active == a.Version && model.Serving == a.Version
                    ? (OtaEvent.Succeeded, null)
                    : (OtaEvent.Failed, $"after activation the store names {model.Active ?? "nothing"} active and {model.Serving ?? "nothing"} serves");
            }
        }

        return (OtaEvent.Failed, $"the store has no model {a.ModelName} after activation");
    }

    private async Task<(OtaEvent, string?)> RollbackAsync(Assignment a, CancellationToken cancellationToken)
    {
        ActivationResult result = await store.RollbackAsync(a.ModelName, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? (OtaEvent.Succeeded, $"rolled back to {result.Version}") : (OtaEvent.Failed, result.Reason);
    }
}
