namespace GeoEdge.ModelTool.Prune;

/// <summary>How far one model output moved on the proof input: the largest absolute change and that change relative to the output's largest magnitude.</summary>
public sealed record OutputChange(string Output, double MaxAbsolute, double MaxRelative);
