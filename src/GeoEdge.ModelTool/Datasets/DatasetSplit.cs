namespace GeoEdge.ModelTool.Datasets;

/// <summary>One split of a dataset ("train", "validation", "test", "ood") and the .npz file that holds it.</summary>
public sealed record DatasetSplit(string Name, string Path);
