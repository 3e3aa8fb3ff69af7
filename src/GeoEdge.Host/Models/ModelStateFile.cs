using System.Text.Json;
using GeoEdge.Geometry.IO;

namespace GeoEdge.Host.Models;

/// <summary>Reads and atomically replaces one model's state.json (write temp + fsync + rename + fsync of the directory).</summary>
internal static class ModelStateFile
{
    private const int MaxBytes = 1 << 20;

    /// <summary>The document, or an empty one when the model has no state file yet.</summary>
    public static ModelStateDocument Read(string path)
    {
        if (!File.Exists(path))
        {
            return new ModelStateDocument();
        }

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length > MaxBytes)
        {
            throw new ModelStoreException(path, $"{bytes.Length} bytes; a state file is at most {MaxBytes}");
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, ModelStoreJsonContext.Default.ModelStateDocument)
                ?? throw new ModelStoreException(path, "the state file is JSON null");
        }
        catch (JsonException e)
        {
            throw new ModelStoreException(path, $"malformed state file at {e.Path ?? "$"} (line {e.LineNumber}): {e.Message}", e);
        }
    }

    public static void Write(string path, ModelStateDocument document)
    {
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(document, ModelStoreJsonContext.Default.ModelStateDocument);
        AtomicFile.Write(path, stream => stream.Write(bytes));
        DurableDirectory.Sync(Path.GetDirectoryName(path)!);
    }
}
