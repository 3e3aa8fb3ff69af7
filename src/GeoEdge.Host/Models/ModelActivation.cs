using GeoEdge.Inference.Bundles;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Models;

/// <summary>Runs one activation through <see cref="ActivationTable"/>: persists each state, then does that state's one side effect.</summary>
/// <remarks>Persist-before-act (Mender): after a crash, state.json names the state whose side effect may or may not
/// have happened, and <see cref="ActivationTable.ResumeAfterCrash"/> decides from that alone. Every side effect up to
/// Swap lives in this process's memory, so a crash before Commit loses nothing durable.</remarks>
internal sealed class ModelActivation
{
    /// <summary>More transitions than the table's longest path means a bug; stop rather than spin.</summary>
    private const int MaxTransitions = 16;

    private readonly ModelStore _store;
    private readonly string _name;
    private readonly ModelSlot<ModelPipeline> _slot;
    private ModelStateDocument _document;
    private ActivationRecord _record;
    private ModelBundle? _bundle;
    private ModelPipeline? _candidate;
    private bool _swapped;

    public ModelActivation(ModelStore store, string name, ModelStateDocument document, ActivationRecord record)
    {
        _store = store;
        _name = name;
        _slot = store.Slot(name);
        _document = document;
        _record = record;
    }

    public async Task<ActivationResult> RunAsync(CancellationToken cancellationToken)
    {
        ActivationState state = _record.State;
        try
        {
            for (int transitions = 0; state != ActivationState.Done; transitions++)
            {
                if (transitions == MaxTransitions)
                {
                    _record = _record with { FailedAt = state, Reason = $"more than {MaxTransitions} transitions (loop detected)" };
                    state = ActivationState.Rollback;
                }

                _record = _record with { State = state };
                _document = _document with { Activation = _record };
                ModelStateFile.Write(_store.Layout.StateFile(_name), _document);
                Log.Entering(_store.Logger, _name, _record.Target, state);
                if (_store.StatePersisted is { } hook)
                {
                    await hook(_name, state, cancellationToken).ConfigureAwait(false);
                }

                string? failure = Execute(state);
                if (failure is not null)
                {
                    _record = _record with { FailedAt = state, Reason = failure };
                }

                state = ActivationTable.Next(state, failure is null ? ActivationOutcome.Succeeded : ActivationOutcome.Failed);
            }
        }
        finally
        {
            if (!_swapped)
            {
                _candidate?.Dispose();
                _bundle?.Dispose();
            }
        }

        return Result();
    }

    private ActivationResult Result()
    {
        bool succeeded = _record.FailedAt is null;
        return new ActivationResult(
            succeeded,
            _name,
            _record.Target,
            succeeded ? ActivationState.Commit : ActivationState.Rollback,
            _record.Reason,
            _record.FailedAt,
            _document.Active);
    }

    /// <summary>The state's one side effect; null when it succeeded, else why it failed. Rollback's failures are recorded, not raised.</summary>
    private string? Execute(ActivationState state)
    {
        try
        {
            switch (state)
            {
                case ActivationState.Verify:
                    _bundle = ModelBundle.Open(_store.Layout.VersionDirectory(_name, _record.Target), _store.TrustedKeys);
                    return _bundle.Manifest.Name == _name && _bundle.Manifest.Version == _record.Target
                        ? null
                        : $"the bundle installed as {_name} {_record.Target} says it is {_bundle.Manifest.Name} {_bundle.Manifest.Version}";
                case ActivationState.Load:
                    _candidate = ModelPipeline.Load(_bundle!, _store.SessionOptions);
                    _bundle = null; // owned by the candidate now
                    return null;
                case ActivationState.WarmUp:
                    PipelineSelfTest.WarmUp(_candidate!);
                    return null;
                case ActivationState.SelfTest:
                    return PipelineSelfTest.Run(_candidate!);
                case ActivationState.Swap:
                    _slot.Swap(_candidate!, _record.Target);
                    _swapped = true;
                    return null;
                case ActivationState.Commit:
                    Commit();
                    return null;
                case ActivationState.Rollback:
                    Rollback();
                    return null;
                default:
                    throw new InvalidOperationException($"no side effect for {state}");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A broken model or disk is an outcome of this state, not a crash of the device.
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private void Commit()
    {
        string? from = _record.From;
        _document = new ModelStateDocument
        {
            Active = _record.Target,
            Previous = from is null || from == _record.Target ? _document.Previous : from,
            LastActivation = new ActivationReport { Target = _record.Target, Succeeded = true, Finished = _store.Time.GetUtcNow() },
        };
        ModelStateFile.Write(_store.Layout.StateFile(_name), _document);
        Log.Activated(_store.Logger, _name, _record.Target, _document.Previous);
    }

    private void Rollback()
    {
        string reason = _record.Reason ?? "rolled back";
        if (_swapped)
        {
            reason += PutBack();
        }

        _document = _document with
        {
            Active = _record.From,
            Activation = null,
            LastActivation = new ActivationReport
            {
                Target = _record.Target,
                Succeeded = false,
                FailedAt = _record.FailedAt,
                Reason = reason,
                Finished = _store.Time.GetUtcNow(),
            },
        };
        _record = _record with { Reason = reason };
        ModelStateFile.Write(_store.Layout.StateFile(_name), _document);
        Log.RolledBack(_store.Logger, _name, _record.Target, _record.FailedAt ?? ActivationState.Rollback, reason, _record.From);
    }

    /// <summary>The target was already serving: put the old active back (verified and self-tested again), or empty the slot.</summary>
    private string PutBack()
    {
        if (_record.From is not { } from)
        {
            _slot.Clear();
            return string.Empty;
        }

        string? problem = _store.TryLoadInto(_slot, _name, from);
        return problem is null ? string.Empty : $"; putting {from} back failed too: {problem}";
    }
}
