using GeoEdge.Host.Events;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace GeoEdge.Host.Diagnostics;

/// <summary>Registration helpers for hosting the diagnostics routes in any ASP.NET Core app.</summary>
public static class DiagnosticsServiceCollectionExtensions
{
    /// <summary>Puts the source-generated JSON contexts first in the minimal-API resolver chain (AOT: no reflection fallback).</summary>
    public static IServiceCollection AddGeoEdgeDiagnosticsJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(static (JsonOptions o) =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, DiagnosticsJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, EventJsonContext.Default);
        });
}
