using System.Net.Http.Headers;
using System.Net.Http.Json;
using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetSimulator;

/// <summary>What the operator does during the run, through the server's operator API with a bearer token: register a
/// bundle, start a rollout, read it back.</summary>
internal sealed class OperatorClient(Uri server, string token) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    public async Task<ModelVersionInfo> UploadAsync(string bundlePath, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(bundlePath, cancellationToken).ConfigureAwait(false));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using HttpResponseMessage response = await _http.PostAsync(new Uri("/v1/models", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, FleetJsonContext.Default.ModelVersionInfo, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RolloutView> StartRolloutAsync(RolloutRequest request, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _http.PostAsJsonAsync(new Uri("/v1/rollouts", UriKind.Relative), request, FleetJsonContext.Default.RolloutRequest, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, FleetJsonContext.Default.RolloutView, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RolloutView> GetRolloutAsync(string id, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri($"/v1/rollouts/{Uri.EscapeDataString(id)}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, FleetJsonContext.Default.RolloutView, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        }

        return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: empty body");
    }
}
