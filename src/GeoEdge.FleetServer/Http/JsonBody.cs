using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace GeoEdge.FleetServer.Http;

/// <summary>Reads a JSON request body through source-generated metadata and turns a bad one into a 400 that names the
/// JSON path and line, instead of the framework's bodyless 400.</summary>
public static class JsonBody
{
    /// <summary>The body as <typeparamref name="T"/>, or a problem result saying what is wrong with it.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is null || !request.HasJsonContentType())
        {
            return (null, FleetProblems.Result(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "JSON expected",
                $"Content-Type '{request.ContentType}' is not application/json"));
        }

        try
        {
            T? value = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return value is null ? (null, FleetProblems.BadRequest($"body: {typeInfo.Type.Name} expected, got null")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, FleetProblems.BadRequest($"body is not a valid {typeInfo.Type.Name} at {e.Path ?? "$"} (line {e.LineNumber + 1}): {FirstSentence(e.Message)}"));
        }
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
