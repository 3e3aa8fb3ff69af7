using System.Globalization;
using System.Text;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Geometry.Tests.IO;

/// <summary>The ascii fast path against the BCL parser on random decimal text: whenever it answers, it answers the same bits.</summary>
[Trait("Category", "Unit")]
public sealed class PlyDecimalTests
{
    [Fact]
    public void Fast_path_agrees_bit_for_bit_with_the_bcl_parser()
    {
        var rng = new Random(1729);
        int fastSingles = 0, fastDoubles = 0;
        const int Cases = 100_000;
        for (int i = 0; i < Cases; i++)
        {
            string text = RandomDecimal(rng);
            byte[] utf8 = Encoding.ASCII.GetBytes(text);

            if (PlyDecimal.TryParseSingle(utf8, out float f))
            {
                fastSingles++;
                Assert.True(float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float expected), text);
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(f), $"{text}: {expected:R} vs {f:R}");
            }

            if (PlyDecimal.TryParseDouble(utf8, out double d))
            {
                fastDoubles++;
                Assert.True(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double expected), text);
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(d), $"{text}: {expected:R} vs {d:R}");
            }
        }

        // Most printf-style text takes the fast path; the rest falls back.
        Assert.InRange(fastSingles, Cases / 4, Cases - 1);
        Assert.InRange(fastDoubles, fastSingles, Cases - 1);
    }

    [Fact]
    public void Float_midpoints_and_their_neighbours_agree_with_the_bcl_parser()
    {
        // Between 2^25 and 2^50 float midpoints are whole numbers with short decimal text: exactly the
        // inputs where rounding through a double could go wrong. A midpoint must fall back; its
        // neighbours one away take the fast path and must round the way the BCL parser does.
        var rng = new Random(6174);
        int fast = 0;
        for (int i = 0; i < 50_000; i++)
        {
            float f = BitConverter.Int32BitsToSingle(rng.Next(152 << 23, 177 << 23));
            long mid = ((long)f + (long)MathF.BitIncrement(f)) / 2;
            Assert.False(PlyDecimal.TryParseSingle(Encoding.ASCII.GetBytes(mid.ToString(CultureInfo.InvariantCulture)), out _));
            foreach (long n in new[] { mid - 1, mid + 1 })
            {
                string text = n.ToString(CultureInfo.InvariantCulture);
                float expected = float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                Assert.True(PlyDecimal.TryParseSingle(Encoding.ASCII.GetBytes(text), out float value), text);
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(value), $"{text}: {expected:R} vs {value:R}");
                fast++;
            }
        }

        Assert.Equal(100_000, fast);
    }

    [Theory]
    [InlineData("0.1", 0.1f)]
    [InlineData("-12.5", -12.5f)]
    [InlineData("+.5", 0.5f)]
    [InlineData("5.", 5f)]
    [InlineData("1e-05", 1e-05f)]
    [InlineData("0.123457", 0.123457f)]
    [InlineData("16777216", 16777216f)]
    [InlineData("-0", -0f)]
    [InlineData("9.9999997e-06", 9.9999997e-06f)]
    [InlineData("0.60000002", 0.6f)]
    [InlineData("1e11", 1e11f)]
    public void Plain_decimals_take_the_fast_path(string text, float expected)
    {
        Assert.True(PlyDecimal.TryParseSingle(Encoding.ASCII.GetBytes(text), out float value));
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1.2.3")]
    [InlineData("nan")]
    [InlineData("0x1p3")]
    [InlineData("16777217")]
    [InlineData("1e23")]
    [InlineData("3.4028235E+38")]
    [InlineData("12345678901234567890")]
    [InlineData("1e-40")]
    public void Everything_else_falls_back(string text)
    {
        Assert.False(PlyDecimal.TryParseSingle(Encoding.ASCII.GetBytes(text), out _));
    }

    private static string RandomDecimal(Random rng)
    {
        var sb = new StringBuilder();
        sb.Append(rng.Next(4) switch { 0 => "-", 1 => "+", _ => string.Empty });
        AppendDigits(sb, rng, rng.Next(0, 10));
        if (rng.Next(3) > 0)
        {
            sb.Append('.');
            AppendDigits(sb, rng, rng.Next(0, 12));
        }

        if (rng.Next(3) == 0)
        {
            sb.Append(rng.Next(2) == 0 ? 'e' : 'E').Append(rng.Next(3) switch { 0 => "-", 1 => "+", _ => string.Empty });
            AppendDigits(sb, rng, rng.Next(0, 3));
        }

        return sb.ToString();
    }

    private static void AppendDigits(StringBuilder sb, Random rng, int count)
    {
        for (int i = 0; i < count; i++)
        {
            // Zeros are common in real files and in the corner cases (leading and trailing zeros).
            sb.Append((char)('0' + (rng.Next(3) == 0 ? 0 : rng.Next(10))));
        }
    }
}
