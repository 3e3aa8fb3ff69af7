using GeoEdge.Geometry.IO;
using GeoEdge.ModelTool.Running;

namespace GeoEdge.ModelTool.Cli;

/// <summary>One `--input NAME=FILE.npy` or `--input NAME=FILE.npz:KEY` of `geoedge-model run`.</summary>
internal sealed record InputSpec(string Name, string File, string? Key)
{
    public string Origin => Key is null ? File : $"{File}:{Key}";

    public static InputSpec Parse(string text)
    {
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1)
        {
            throw new UsageException($"--input wants NAME=FILE.npy or NAME=FILE.npz:KEY, got '{text}'");
        }

        string name = text[..eq];
        string file = text[(eq + 1)..];

        // The key follows the last ':' after ".npz", so a path may itself contain ':' before it.
        int npz = file.LastIndexOf(".npz:", StringComparison.OrdinalIgnoreCase);
        if (npz >= 0)
        {
            string key = file[(npz + 5)..];
            return key.Length > 0 ? new InputSpec(name, file[..(npz + 4)], key)
                : throw new UsageException($"--input {text}: name the array after the colon, NAME=FILE.npz:KEY");
        }

        return file.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)
            ? throw new UsageException($"--input {text}: a .npz holds several arrays; name one as NAME=FILE.npz:KEY")
            : new InputSpec(name, file, null);
    }

    public InputArray Read()
    {
        if (Key is null)
        {
            return new InputArray(Name, NpyFile.Read(File), Origin);
        }

        IReadOnlyDictionary<string, NpyArray> arrays = NpzFile.Read(File);
        return arrays.TryGetValue(Key, out NpyArray? array)
            ? new InputArray(Name, array, Origin)
            : throw new ModelInputException($"input '{Name}': {File} has no array '{Key}' (it holds {string.Join(", ", arrays.Keys)})");
    }
}
