using System.Globalization;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Datasets;

/// <summary>The checks `evaluate` runs on its test split before measuring anything: refused when it is the training split, warned about near-duplicates of training clouds.</summary>
internal static class SplitGovernance
{
    /// <summary>Throws <see cref="SplitLeakException"/> for a leaked split; returns the near-duplicate count (null when not checked: no training split, or not point clouds).</summary>
    /// <param name="card">The bundle's dataset card: a training split it pins (splitFiles.train) is checked even without <paramref name="trainPath"/>.</param>
    public static int? Check(DatasetCard card, string testPath, string? trainPath, TextWriter warnings)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(warnings);
        string testSha = DatasetCardBuilder.FileSha256(testPath);
        if (DatasetCardEditor.SplitSha256(card, "train") is { } pinned && pinned == testSha)
        {
            throw new SplitLeakException($"test split {testPath} has the same SHA-256 ({testSha}) as the training split pinned by the bundle's dataset card");
        }

        if (trainPath is null)
        {
            return null;
        }

        SplitLeak.RequireDistinct(trainPath, testPath);
        if (!NpzFile.Read(trainPath).TryGetValue("pos", out NpyArray? train) || !NpzFile.Read(testPath).TryGetValue("pos", out NpyArray? test))
        {
            return null;
        }

        List<NearDuplicate> found = NearDuplicates.Find(train, test);
        if (found.Count > 0)
        {
            string examples = string.Join(", ", found.Take(5).Select(static d => string.Create(CultureInfo.InvariantCulture, $"test {d.TestIndex} = train {d.TrainIndex}")));
            warnings.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"geoedge-model: warning: {found.Count} of {test.Shape[0]} test clouds in {testPath} are near-duplicates of training clouds in {trainPath} (same points on a {NearDuplicates.DefaultQuantum} grid, any order): {examples}{(found.Count > 5 ? ", ..." : string.Empty)}"));
        }

        return found.Count;
    }
}
