namespace GeoEdge.Geometry;

/// <summary>PCL's packed colours: <c>rgb</c> as a float whose bits are 0x??RRGGBB, <c>rgba</c> as a uint 0xAARRGGBB.</summary>
/// <remarks>
/// A packed float is only a carrier for bits: with alpha 255 (what PCL's PointXYZRGB stores) many colours are
/// NaN or infinite as floats, so code must move these values as bits, never through float arithmetic.
/// </remarks>
public static class PackedRgb
{
    public static (byte R, byte G, byte B) Unpack(float packed)
    {
        uint bits = BitConverter.SingleToUInt32Bits(packed);
        return ((byte)(bits >> 16), (byte)(bits >> 8), (byte)bits);
    }

    public static (byte R, byte G, byte B, byte A) UnpackRgba(uint packed) =>
        ((byte)(packed >> 16), (byte)(packed >> 8), (byte)packed, (byte)(packed >> 24));

    /// <summary>Packs with alpha 0, as Open3D writes it, which keeps the float finite (a denormal or zero).</summary>
    public static float Pack(byte r, byte g, byte b) => BitConverter.UInt32BitsToSingle(PackRgba(r, g, b, 0));

    public static uint PackRgba(byte r, byte g, byte b, byte a) =>
        ((uint)a << 24) | ((uint)r << 16) | ((uint)g << 8) | b;
}
