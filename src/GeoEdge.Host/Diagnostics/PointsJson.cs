using System.Text.Json;

namespace GeoEdge.Host.Diagnostics;

/// <summary>Reads <c>{"points": [[x,y,z], ...]}</c> into one [N,3] float buffer, naming the element at fault.</summary>
/// <remarks>A hand-written reader, not a deserialized float[][]: one buffer instead of N arrays, and errors like
/// "points[7] has 2 coordinates" instead of a converter's generic message.</remarks>
public static class PointsJson
{
    /// <exception cref="InferenceRequestException">The JSON is malformed or not of that shape.</exception>
    public static float[] Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "the body");
            float[]? points = null;
            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("points"u8))
                {
                    points = ReadPoints(ref reader);
                }
                else
                {
                    // On a property name, Skip moves past the property's whole value.
                    reader.Skip();
                }
            }

            return points ?? throw new InferenceRequestException("the JSON body has no \"points\" array");
        }
        catch (JsonException e)
        {
            throw new InferenceRequestException($"malformed JSON at byte {reader.BytesConsumed}: {e.Message}", e);
        }
    }

    private static float[] ReadPoints(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "\"points\"");
        var values = new List<float>();
        int index = 0;
        while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new InferenceRequestException($"points[{index}] is {Describe(reader.TokenType)}, expected [x, y, z]");
            }

            int coordinates = 0;
            while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetSingle(out float v))
                {
                    throw new InferenceRequestException($"points[{index}][{coordinates}] is {Describe(reader.TokenType)}, expected a number");
                }

                values.Add(v);
                coordinates++;
            }

            if (coordinates != 3)
            {
                throw new InferenceRequestException($"points[{index}] has {coordinates} coordinates, expected 3");
            }

            index++;
        }

        return [.. values];
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (!Next(ref reader) || reader.TokenType != type)
        {
            throw new InferenceRequestException($"{what} must be {Describe(type)}, found {Describe(reader.TokenType)}");
        }
    }

    private static bool Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new InferenceRequestException($"the JSON body ends early at byte {reader.BytesConsumed}");
        }

        return true;
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.None => "nothing",
        _ => type.ToString(),
    };
}
