using GeoEdge.Geometry;
using GeoEdge.Host.Diagnostics;
using GeoEdge.Host.Models;

namespace GeoEdge.Host.Service;

/// <summary>POST /api/v1/infer: the cloud goes through the live point-cloud model's slot, so it follows hot swaps like the
/// pipelines do and reports the version that answered.</summary>
internal sealed class SlotInferenceGateway(ModelStore store, string? model) : IInferenceGateway
{
    public Task<InferenceOutcome?> ClassifyAsync(PointCloud cloud, CancellationToken cancellationToken)
    {
        if (model is null || !store.Slot(model).TryAcquire(out ModelLease<ModelPipeline> lease))
        {
            return Task.FromResult<InferenceOutcome?>(null);
        }

        using (lease)
        {
            return Task.FromResult<InferenceOutcome?>(lease.Pipeline.PointCloud is { } classifier
                ? new InferenceOutcome(model, lease.Version, classifier.Classify(cloud))
                : null);
        }
    }
}
