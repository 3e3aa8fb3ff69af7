namespace GeoEdge.Inference.Pipelines;

/// <summary>One sensor's last <c>window</c> samples on the model's time grid; a slot holds a value only if a reading for exactly that slot arrived.</summary>
/// <remarks>Not thread-safe; <see cref="SensorGraphAnomaly"/> serialises access.</remarks>
internal sealed class SensorRing
{
    private readonly long[] _slots;
    private readonly float[] _values;
    private long _newest = long.MinValue;

    public SensorRing(int window)
    {
        _slots = new long[window];
        _values = new float[window];
        Clear();
    }

    /// <summary>Stores a reading for grid slot <paramref name="slot"/> (a later reading for the same slot replaces it).</summary>
    /// <returns><see cref="RejectionReason.TooLate"/> when the slot is older than the window the ring holds.</returns>
    public RejectionReason Add(long slot, float value)
    {
        if (_newest != long.MinValue && slot <= _newest - _slots.Length)
        {
            return RejectionReason.TooLate;
        }

        long at = Position(slot);
        _slots[at] = slot;
        _values[at] = value;
        _newest = Math.Max(_newest, slot);
        return RejectionReason.None;
    }

    /// <summary>The samples of slots <c>end - window + 1 .. end</c>; NaN where no reading arrived.</summary>
    public void Read(long endSlot, Span<float> window)
    {
        for (int t = 0; t < window.Length; t++)
        {
            long slot = endSlot - window.Length + 1 + t;
            long at = Position(slot);
            window[t] = _slots[at] == slot ? _values[at] : float.NaN;
        }
    }

    public void Clear()
    {
        Array.Fill(_slots, long.MinValue);
        _newest = long.MinValue;
    }

    private long Position(long slot) => ((slot % _slots.Length) + _slots.Length) % _slots.Length;
}
