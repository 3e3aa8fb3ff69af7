using System.Text.Json.Nodes;

namespace GeoEdge.Testing;

/// <summary>device-configs/dev-x64.json made runnable from a temporary directory: the state directory there, and the
/// trusted key, model bundles and replayed samples as absolute paths (they are relative to device-configs/).</summary>
internal static class DevConfig
{
    /// <param name="configsDirectory">The repository's device-configs folder.</param>
    /// <param name="stateDirectory">The device's state directory.</param>
    /// <param name="rateHz">Replay rate of every pipeline's source.</param>
    public static JsonObject Load(string configsDirectory, string stateDirectory, int rateHz)
    {
        JsonObject root = JsonNode.Parse(File.ReadAllText(Path.Combine(configsDirectory, "dev-x64.json")))!.AsObject();
        root["stateDirectory"] = stateDirectory;
        root["trustedKeys"] = new JsonArray(Absolute(configsDirectory, root["trustedKeys"]![0]!));
        foreach (JsonNode? model in root["models"]!.AsArray())
        {
            model!["bundle"] = Absolute(configsDirectory, model["bundle"]!);
        }

        foreach (JsonNode? pipeline in root["pipelines"]!.AsArray())
        {
            JsonNode source = pipeline!["source"]!;
            source["path"] = Absolute(configsDirectory, source["path"]!);
            source["rateHz"] = rateHz;
        }

        return root;
    }

    private static string Absolute(string configsDirectory, JsonNode relative) => Path.GetFullPath(Path.Combine(configsDirectory, relative.GetValue<string>()));
}
