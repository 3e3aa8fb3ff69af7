namespace GeoEdge.Inference.Runtime;

/// <summary>Exclusive use of one set of pre-allocated buffers of a <see cref="ModelSession"/>; dispose it to give them back.</summary>
/// <remarks>
/// Fill the inputs, call <see cref="Run"/>, read the outputs. Spans are valid until the lease is
/// disposed; do not copy the lease (a struct, so renting allocates nothing) and dispose it once.
/// </remarks>
public readonly struct InferenceLease : IDisposable
{
    private readonly ModelSession _owner;
    private readonly InferenceSlot _slot;

    internal InferenceLease(ModelSession owner, InferenceSlot slot)
    {
        _owner = owner;
        _slot = slot;
    }

    public Span<T> Input<T>(int index)
        where T : unmanaged => _slot.Inputs[index].AsSpan<T>();

    public ReadOnlySpan<T> Output<T>(int index)
        where T : unmanaged => _slot.Outputs[index].AsSpan<T>();

    /// <summary>Input <paramref name="index"/> as raw bytes in its element type (C order, native byte order), for callers that copy tensors generically.</summary>
    public Span<byte> InputBytes(int index) => _slot.Inputs[index].AsBytes();

    /// <summary>Output <paramref name="index"/> as raw bytes in its element type (C order, native byte order).</summary>
    public ReadOnlySpan<byte> OutputBytes(int index) => _slot.Outputs[index].AsBytes();

    /// <summary>Runs the model on the current input buffers; outputs are overwritten in place.</summary>
    public void Run() => _slot.Run();

    public void Dispose() => _owner?.Return(_slot);
}
