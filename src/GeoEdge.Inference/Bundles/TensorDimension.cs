using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GeoEdge.Inference.Bundles;

/// <summary>One dimension of a tensor shape: a fixed size, -1 (dynamic) or a symbol such as "N" (dynamic, named).</summary>
[JsonConverter(typeof(TensorDimensionJsonConverter))]
public readonly record struct TensorDimension
{
    private TensorDimension(long size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    /// <summary>The fixed size, or -1 when the dimension is dynamic.</summary>
    public long Size { get; }

    /// <summary>The symbol of a named dynamic dimension; null for a fixed size or a bare -1.</summary>
    public string? Symbol { get; }

    public bool IsDynamic => Size < 0;

    public static TensorDimension Fixed(long size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, -1);
        return new TensorDimension(size, null);
    }

    public static TensorDimension Named(string symbol)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        return new TensorDimension(-1, symbol);
    }

    public override string ToString() => Symbol ?? Size.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Reads a dimension from a JSON integer or string and writes it back the same way.</summary>
internal sealed class TensorDimensionJsonConverter : JsonConverter<TensorDimension>
{
    public override TensorDimension Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt64(out long size) && size >= -1 => TensorDimension.Fixed(size),
            JsonTokenType.String when reader.GetString() is { Length: > 0 } symbol => TensorDimension.Named(symbol),
            _ => throw new JsonException("a dimension is an integer >= -1 or a non-empty symbol"),
        };

    public override void Write(Utf8JsonWriter writer, TensorDimension value, JsonSerializerOptions options)
    {
        if (value.Symbol is { } symbol)
        {
            writer.WriteStringValue(symbol);
        }
        else
        {
            writer.WriteNumberValue(value.Size);
        }
    }
}
