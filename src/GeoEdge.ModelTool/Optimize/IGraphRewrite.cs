using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Optimize;

/// <summary>One graph rewrite: finds its pattern in the main graph and replaces every match with an equivalent subgraph.</summary>
internal interface IGraphRewrite
{
    /// <summary>The name printed in the optimize report (e.g. "fold-batchnorm").</summary>
    string Name { get; }

    /// <summary>Rewrites every match in <paramref name="model"/>'s main graph and returns how many it rewrote.</summary>
    int Apply(ModelProto model);
}
