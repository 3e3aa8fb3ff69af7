using System.Collections.Concurrent;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Runtime;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Models;

/// <summary>The device's model store: verified versions on disk, one active version per model, activation through one
/// state machine, and the live pipeline of each model in a hot-swappable <see cref="ModelSlot{TPipeline}"/>.</summary>
/// <remarks>
/// Layout: &lt;state&gt;/models/&lt;name&gt;/&lt;version&gt;/ (a verified bundle, immutable once renamed into place) and
/// &lt;state&gt;/models/&lt;name&gt;/state.json (<see cref="ModelStateDocument"/>, replaced atomically). Operations are
/// serialized within the process; only one process may run a store over a state directory at a time (the first
/// operation other than <see cref="List"/> takes models/store.lock and holds it until Dispose).
/// Call <see cref="RecoverAsync"/> once at start, before serving: it finishes what a crash interrupted and loads
/// every active model.
/// </remarks>
public sealed class ModelStore : IDisposable
{
    private readonly ConcurrentDictionary<string, ModelSlot<ModelPipeline>> _slots = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly BundleInstaller _installer;
    private StoreLock? _lock;

    public ModelStore(string stateDirectory, TrustedKeys trustedKeys, ModelSessionOptions? sessionOptions, ILogger<ModelStore> logger, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        ArgumentNullException.ThrowIfNull(trustedKeys);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        Layout = new StoreLayout(stateDirectory);
        TrustedKeys = trustedKeys;
        SessionOptions = sessionOptions;
        Logger = logger;
        Time = time;
        _installer = new BundleInstaller(Layout, trustedKeys);
    }

    /// <summary>Called after each activation state is persisted and before its side effect (model, state).</summary>
    /// <remarks>For diagnostics and fault injection: the CLI uses it to stop at a chosen state so a test can kill the process there.</remarks>
    public Func<string, ActivationState, CancellationToken, ValueTask>? StatePersisted { get; init; }

    /// <summary>Restarts that may find the same activation unfinished before recovery stops trying and just abandons it.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>&lt;state&gt;/models.</summary>
    public string ModelsDirectory => Layout.Root;

    internal StoreLayout Layout { get; }

    internal TrustedKeys TrustedKeys { get; }

    internal ModelSessionOptions? SessionOptions { get; }

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    /// <summary>The slot serving <paramref name="model"/> (created empty on first use; filled by activation or recovery).</summary>
    public ModelSlot<ModelPipeline> Slot(string model) => _slots.GetOrAdd(model, static name => new ModelSlot<ModelPipeline>(name));

    /// <summary>Verifies a bundle directory or .geob and installs it as models/&lt;name&gt;/&lt;version&gt;/ (not active yet).</summary>
    /// <exception cref="BundleVerificationException">The bundle failed a check; names the check and the file.</exception>
    /// <exception cref="ModelStoreException">The version is installed already with different content.</exception>
    public async Task<InstallResult> InstallAsync(string bundlePath, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureLocked();
            InstallResult result = _installer.Install(bundlePath);
            if (!result.AlreadyInstalled)
            {
                Log.Installed(Logger, result.Model, result.Version, result.ManifestSha256);
            }

            return result;
        }
        finally
        {
            RemoveEmptyStaging();
            _gate.Release();
        }
    }

    /// <summary>Makes an installed version active: Verify → Load → WarmUp → SelfTest → Swap → Commit, or Rollback with the reason.</summary>
    public async Task<ActivationResult> ActivateAsync(string model, string version, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureLocked();
            return await ActivateLockedAsync(model, version, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Activates the previous version (through the same state machine, so it is verified and self-tested again).</summary>
    public async Task<ActivationResult> RollbackAsync(string model, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureLocked();
            ModelStateDocument document = ModelStateFile.Read(Layout.StateFile(model));
            return document.Previous is { } previous
                ? await ActivateLockedAsync(model, previous, cancellationToken).ConfigureAwait(false)
                : Refused(model, "(previous)", document.Active, "there is no previous version to roll back to");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes temp files a crash left, finishes or rolls back interrupted activations, and loads every active model.</summary>
    public async Task<IReadOnlyList<RecoveryReport>> RecoverAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureLocked();
            var reports = new List<RecoveryReport>();
            if (!Directory.Exists(Layout.Root))
            {
                return reports;
            }

            RemoveTemporaries(Layout.Root);
            var recoveries = new List<Task<RecoveryReport>>();
            foreach (string model in ModelNames())
            {
                RemoveTemporaries(Layout.ModelDirectory(model));

                // Models share nothing on disk or in memory (own directory, state file and slot), so they load side by side:
                // session creation and warm-up dominate cold start, and a board has a core per model to spare at boot.
                recoveries.Add(Task.Run(() => RecoverModelAsync(model, cancellationToken), cancellationToken));
            }

            reports.AddRange(await Task.WhenAll(recoveries).ConfigureAwait(false));
            return reports;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every installed model with its versions and state, by name.</summary>
    public IReadOnlyList<ModelSummary> List()
    {
        var summaries = new List<ModelSummary>();
        foreach (string model in ModelNames())
        {
            ModelStateDocument document = ModelStateFile.Read(Layout.StateFile(model));
            List<string> versions = [];
            foreach (string directory in Directory.EnumerateDirectories(Layout.ModelDirectory(model)))
            {
                string version = Path.GetFileName(directory);
                if (!StoreLayout.IsTemporary(version))
                {
                    versions.Add(version);
                }
            }

            versions.Sort(CompareVersions);
            summaries.Add(new ModelSummary(
                model,
                versions,
                document.Active,
                document.Previous,
                _slots.TryGetValue(model, out ModelSlot<ModelPipeline>? slot) ? slot.Version : null,
                document.Activation is { } a ? (a.Target, a.State) : null,
                document.LastActivation is { } last ? ToResult(model, last, document.Active) : null));
        }

        return summaries;
    }

    public void Dispose()
    {
        foreach (ModelSlot<ModelPipeline> slot in _slots.Values)
        {
            slot.Dispose();
        }

        _gate.Dispose();
        _lock?.Dispose();
    }

    /// <summary>Verifies, loads and self-tests <paramref name="version"/> and swaps it into <paramref name="slot"/>; null on success, else why not.</summary>
    internal string? TryLoadInto(ModelSlot<ModelPipeline> slot, string model, string version)
    {
        ModelPipeline? pipeline = null;
        try
        {
            ModelBundle bundle = ModelBundle.Open(Layout.VersionDirectory(model, version), TrustedKeys);
            try
            {
                pipeline = ModelPipeline.Load(bundle, SessionOptions);
            }
            catch
            {
                bundle.Dispose();
                throw;
            }

            PipelineSelfTest.WarmUp(pipeline);
            if (PipelineSelfTest.Run(pipeline) is { } failure)
            {
                pipeline.Dispose();
                return failure;
            }

            slot.Swap(pipeline, version);
            Log.Loaded(Logger, model, version);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            pipeline?.Dispose();
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private async Task<ActivationResult> ActivateLockedAsync(string model, string version, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Layout.ModelDirectory(model)))
        {
            return Refused(model, version, null, $"no model named '{model}' is installed");
        }

        ModelStateDocument document = ModelStateFile.Read(Layout.StateFile(model));
        if (document.Activation is { } pending)
        {
            return Refused(model, version, document.Active, $"the activation of {pending.Target} is unfinished (at {pending.State}); run recovery first");
        }

        if (document.Active == version && Slot(model).Version == version)
        {
            return new ActivationResult(true, model, version, ActivationState.Done, null, null, version);
        }

        var record = new ActivationRecord { Target = version, From = document.Active, State = ActivationState.Verify, Attempts = 1, Started = Time.GetUtcNow() };
        return await new ModelActivation(this, model, document, record).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<RecoveryReport> RecoverModelAsync(string model, CancellationToken cancellationToken)
    {
        ModelStateDocument document = ModelStateFile.Read(Layout.StateFile(model));
        ActivationResult? resumed = null;
        if (document.Activation is { } interrupted)
        {
            resumed = await ResumeAsync(model, document, interrupted, cancellationToken).ConfigureAwait(false);
            document = ModelStateFile.Read(Layout.StateFile(model));
        }

        if (document.Active is not { } active)
        {
            return new RecoveryReport(model, null, false, resumed, null);
        }

        ModelSlot<ModelPipeline> slot = Slot(model);
        if (slot.Version == active)
        {
            return new RecoveryReport(model, active, true, resumed, null);
        }

        string? problem = TryLoadInto(slot, model, active);
        if (problem is null)
        {
            return new RecoveryReport(model, active, true, resumed, null);
        }

        Log.ActiveBroken(Logger, model, active, problem);
        return FallBack(model, document, active, problem, resumed);
    }

    private async Task<ActivationResult> ResumeAsync(string model, ModelStateDocument document, ActivationRecord interrupted, CancellationToken cancellationToken)
    {
        int attempts = interrupted.Attempts + 1;
        ActivationState resume = ActivationTable.ResumeAfterCrash(interrupted.State);
        Log.Resuming(Logger, model, interrupted.Target, interrupted.State, attempts, resume);
        ActivationRecord record = interrupted with { Attempts = attempts, State = resume };
        if (resume == ActivationState.Rollback && interrupted.FailedAt is null)
        {
            record = record with { FailedAt = interrupted.State, Reason = $"interrupted at {interrupted.State} (the process stopped)" };
        }

        if (attempts > MaxAttempts)
        {
            // The loop counter: this activation keeps killing the process; give it up without running any state again.
            record = record with { State = ActivationState.Rollback, FailedAt = record.FailedAt ?? interrupted.State, Reason = $"abandoned after {interrupted.Attempts} attempts: {record.Reason}" };
            ModelStateFile.Write(Layout.StateFile(model), document with
            {
                Activation = null,
                LastActivation = new ActivationReport { Target = record.Target, Succeeded = false, FailedAt = record.FailedAt, Reason = record.Reason, Finished = Time.GetUtcNow() },
            });
            return new ActivationResult(false, model, record.Target, ActivationState.Rollback, record.Reason, record.FailedAt, document.Active);
        }

        return await new ModelActivation(this, model, document, record).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The recorded active version cannot run (damaged on disk, or the runtime changed): serve the previous one if it can.</summary>
    private RecoveryReport FallBack(string model, ModelStateDocument document, string active, string problem, ActivationResult? resumed)
    {
        ModelSlot<ModelPipeline> slot = Slot(model);
        if (document.Previous is { } previous && TryLoadInto(slot, model, previous) is null)
        {
            string reason = $"active {active} could not run ({problem}); fell back to {previous}";
            ModelStateFile.Write(Layout.StateFile(model), new ModelStateDocument
            {
                Active = previous,
                LastActivation = new ActivationReport { Target = active, Succeeded = false, FailedAt = ActivationState.Verify, Reason = reason, Finished = Time.GetUtcNow() },
            });
            return new RecoveryReport(model, previous, true, resumed, reason);
        }

        return new RecoveryReport(model, active, false, resumed, problem);
    }

    private List<string> ModelNames()
    {
        var names = new List<string>();
        if (Directory.Exists(Layout.Root))
        {
            foreach (string directory in Directory.EnumerateDirectories(Layout.Root))
            {
                string name = Path.GetFileName(directory);
                if (!StoreLayout.IsTemporary(name))
                {
                    names.Add(name);
                }
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private void RemoveTemporaries(string directory)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(directory))
        {
            if (!StoreLayout.IsTemporary(Path.GetFileName(entry)))
            {
                continue;
            }

            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }

            Log.RemovedTemporary(Logger, entry);
        }

        DurableDirectory.Sync(directory);
    }

    private void EnsureLocked() => _lock ??= StoreLock.Acquire(Layout.Root);

    private void RemoveEmptyStaging()
    {
        if (Directory.Exists(Layout.Staging) && !Directory.EnumerateFileSystemEntries(Layout.Staging).Any())
        {
            Directory.Delete(Layout.Staging);
        }
    }

    private static ActivationResult ToResult(string model, ActivationReport report, string? active) =>
        new(report.Succeeded, model, report.Target, report.Succeeded ? ActivationState.Commit : ActivationState.Rollback, report.Reason, report.FailedAt, active);

    private static ActivationResult Refused(string model, string version, string? active, string reason) =>
        new(false, model, version, ActivationState.Done, reason, ActivationState.Verify, active);

    private static int CompareVersions(string a, string b) =>
        SemanticVersion.TryParse(a, out SemanticVersion? x) && SemanticVersion.TryParse(b, out SemanticVersion? y) ? x.CompareTo(y) : string.CompareOrdinal(a, b);
}
