using GeoEdge.Geometry;

namespace GeoEdge.Geometry.Tests;

[Trait("Category", "Unit")]
public sealed class PackedRgbTests
{
    [Fact]
    public void Unpack_reads_the_bits_of_pcl_packed_floats_even_when_they_are_nan()
    {
        float opaqueRed = BitConverter.UInt32BitsToSingle(0xffff0000);

        Assert.True(float.IsNaN(opaqueRed));
        Assert.Equal(((byte)255, (byte)0, (byte)0), PackedRgb.Unpack(opaqueRed));
        Assert.Equal(((byte)0x10, (byte)0x20, (byte)0x30), PackedRgb.Unpack(BitConverter.UInt32BitsToSingle(0xff102030)));
    }

    [Fact]
    public void Pack_uses_alpha_zero_and_stays_finite()
    {
        float packed = PackedRgb.Pack(200, 100, 50);

        Assert.Equal(0x00c86432u, BitConverter.SingleToUInt32Bits(packed));
        Assert.True(float.IsFinite(packed));
        Assert.Equal(((byte)200, (byte)100, (byte)50), PackedRgb.Unpack(packed));
    }

    [Fact]
    public void Rgba_packs_alpha_in_the_top_byte()
    {
        uint packed = PackedRgb.PackRgba(1, 2, 3, 4);

        Assert.Equal(0x04010203u, packed);
        Assert.Equal(((byte)1, (byte)2, (byte)3, (byte)4), PackedRgb.UnpackRgba(packed));
    }
}
