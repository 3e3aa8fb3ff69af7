using GeoEdge.Host.Configuration;
using GeoEdge.Host.Diagnostics;
using GeoEdge.Host.Models;

namespace GeoEdge.Host.Service;

/// <summary>The running device as the diagnostics endpoint reports it: board, pipelines with their heartbeats, models.</summary>
internal sealed class DeviceState(DeviceOptions options, PipelineActivity activity, ModelStore store, TimeProvider time) : IDeviceState
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private readonly BoardInfo _board = new(options.Board.Name, options.Board.Arch, options.Board.Accelerator, options.Board.Description);

    public DeviceSnapshot Snapshot()
    {
        var pipelines = new List<PipelineHeartbeat>(options.Pipelines.Count);
        foreach (PipelineOptions p in options.Pipelines)
        {
            pipelines.Add(new PipelineHeartbeat(p.Name, p.Model, store.Slot(p.Model).Version, activity.LastTick(p.Name), TimeSpan.FromSeconds(1 / p.Source.RateHz),
                activity.FailedInARow(p.Name), activity.LastError(p.Name)));
        }

        var models = new List<ModelState>(options.Models.Count);
        IReadOnlyList<GeoEdge.Host.Models.ModelSummary> stored = store.List();
        string provider = "cpu";
        foreach (ModelOptions m in options.Models)
        {
            GeoEdge.Host.Models.ModelSummary? s = null;
            foreach (GeoEdge.Host.Models.ModelSummary candidate in stored)
            {
                s = candidate.Name == m.Name ? candidate : s;
            }

            ModelSlot<ModelPipeline> slot = store.Slot(m.Name);
            if (slot.TryAcquire(out ModelLease<ModelPipeline> lease))
            {
                using (lease)
                {
                    provider = lease.Pipeline.Session.Providers.Active.ToString().ToLowerInvariant();
                }
            }

            models.Add(new ModelState(m.Name, !slot.IsEmpty, s?.Active, s?.Previous));
        }

        return new DeviceSnapshot(Environment.MachineName, _board, _startedAt, provider, pipelines, models);
    }
}
