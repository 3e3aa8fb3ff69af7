using Microsoft.AspNetCore.Http;

namespace GeoEdge.Host.Diagnostics;

/// <summary>Reads a request body up to a byte limit, answering 413 (as a problem) instead of buffering without end.</summary>
internal static class RequestBody
{
    public static async Task<(byte[] Body, IResult? Error)> ReadAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return ([], Problems.TooLarge(limit));
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > limit)
                {
                    return ([], Problems.TooLarge(limit));
                }

                buffer.Write(chunk, 0, n);
            }
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limit (MaxRequestBodySize) or a broken chunked encoding.
            return ([], e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Problems.TooLarge(limit)
                : Problems.Create(e.StatusCode, "bad-http-request", "Malformed HTTP request", e.Message));
        }

        return (buffer.ToArray(), null);
    }
}
