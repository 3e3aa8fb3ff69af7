namespace GeoEdge.ModelTool.Datasets;

/// <summary>The hard leak check `evaluate` runs first: a test split whose SHA-256 equals the training split's is refused.</summary>
public static class SplitLeak
{
    /// <summary>Throws <see cref="SplitLeakException"/> naming both files when their contents hash the same.</summary>
    public static void RequireDistinct(string trainPath, string testPath)
    {
        string train = DatasetCardBuilder.FileSha256(trainPath);
        if (train == DatasetCardBuilder.FileSha256(testPath))
        {
            throw new SplitLeakException($"test split {testPath} has the same SHA-256 ({train}) as training split {trainPath}");
        }
    }
}
