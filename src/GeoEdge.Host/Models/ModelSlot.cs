namespace GeoEdge.Host.Models;

/// <summary>The live pipeline of one model, swappable while callers infer: in-flight work finishes on the old pipeline,
/// which is disposed after its last lease is returned.</summary>
/// <remarks>
/// Reference counting without locks: each installed pipeline sits in a <see cref="Generation"/> whose count starts at
/// one (the slot's own reference). <see cref="Acquire"/> increments the current generation's count unless it already
/// fell to zero (then it was swapped out meanwhile and the new current one is read again); <see cref="Swap"/> exchanges
/// the generation and drops the slot's reference to the old one. Whoever brings a count to zero disposes that pipeline,
/// so it is disposed exactly once and never while a lease holds it. Acquire allocates nothing; Swap allocates one
/// small object.
/// </remarks>
public sealed class ModelSlot<TPipeline> : IDisposable
    where TPipeline : class, IDisposable
{
    private Generation? _current;

    public ModelSlot(string model)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        Model = model;
    }

    public string Model { get; }

    /// <summary>The version a new lease would get now; null while the slot is empty.</summary>
    public string? Version => Volatile.Read(ref _current)?.Version;

    public bool IsEmpty => Volatile.Read(ref _current) is null;

    /// <summary>Leases the current pipeline; dispose the lease exactly once when the inference is done.</summary>
    /// <exception cref="InvalidOperationException">The slot holds no pipeline (nothing activated yet).</exception>
    public ModelLease<TPipeline> Acquire() =>
        TryAcquire(out ModelLease<TPipeline> lease) ? lease : throw new InvalidOperationException($"model {Model} has no active pipeline");

    public bool TryAcquire(out ModelLease<TPipeline> lease)
    {
        while (true)
        {
            Generation? generation = Volatile.Read(ref _current);
            if (generation is null)
            {
                lease = default;
                return false;
            }

            if (generation.TryAddReference())
            {
                lease = new ModelLease<TPipeline>(generation);
                return true;
            }
        }
    }

    /// <summary>Makes <paramref name="pipeline"/> (of <paramref name="version"/>) the one new leases get; the slot owns it from now on.</summary>
    /// <returns>The version that was replaced, or null.</returns>
    public string? Swap(TPipeline pipeline, string version)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentException.ThrowIfNullOrEmpty(version);
        Generation? old = Interlocked.Exchange(ref _current, new Generation(pipeline, version));
        old?.Release();
        return old?.Version;
    }

    /// <summary>Empties the slot; the pipeline is disposed when its last lease is returned.</summary>
    public void Clear() => Interlocked.Exchange(ref _current, null)?.Release();

    public void Dispose() => Clear();

    /// <summary>One installed pipeline and the number of references to it (the slot's plus one per lease).</summary>
    internal sealed class Generation(TPipeline pipeline, string version)
    {
        private int _references = 1;

        public TPipeline Pipeline { get; } = pipeline;

        public string Version { get; } = version;

        public bool TryAddReference()
        {
            int seen = Volatile.Read(ref _references);
            while (seen > 0)
            {
                int before = Interlocked.CompareExchange(ref _references, seen + 1, seen);
                if (before == seen)
                {
                    return true;
                }

                seen = before;
            }

            return false;
        }

        public void Release()
        {
            int left = Interlocked.Decrement(ref _references);
            if (left == 0)
            {
                Pipeline.Dispose();
            }
            else if (left < 0)
            {
                throw new InvalidOperationException($"a lease of version {Version} was disposed twice");
            }
        }
    }
}

/// <summary>One caller's use of a slot's pipeline; <see cref="Version"/> is the version that ran, for attributing results.</summary>
/// <remarks>A struct so Acquire allocates nothing: do not copy it, dispose it exactly once (a second Dispose of the
/// same lease would release someone else's reference).</remarks>
public readonly struct ModelLease<TPipeline> : IDisposable
    where TPipeline : class, IDisposable
{
    private readonly ModelSlot<TPipeline>.Generation? _generation;

    internal ModelLease(ModelSlot<TPipeline>.Generation generation)
    {
        _generation = generation;
    }

    public TPipeline Pipeline => (_generation ?? throw new InvalidOperationException("default lease")).Pipeline;

    public string Version => (_generation ?? throw new InvalidOperationException("default lease")).Version;

    public void Dispose() => _generation?.Release();
}
