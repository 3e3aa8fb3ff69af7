using System.Globalization;
using ScottPlot;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>PNG versions of the reliability diagram and robustness curves, rendered with ScottPlot (SkiaSharp).</summary>
internal static class PngCharts
{
    private const int Width = 640, Height = 480;

    public static void Reliability(EvaluationReport r, string path)
    {
        var plot = new Plot();
        ReliabilityBinJson[] bins = [.. r.Reliability.Where(b => b.Count > 0)];
        foreach (ReliabilityBinJson b in bins)
        {
            plot.Add.Bar(new Bar { Position = (b.Lower + b.Upper) / 2, Value = b.Accuracy, Size = b.Upper - b.Lower });
        }

        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dashed;
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Reliability ({r.Bundle}, ECE {r.Ece:0.0000})"));
        plot.XLabel("confidence");
        plot.YLabel("accuracy");
        Save(plot, path);
    }

    public static void Robustness(EvaluationReport r, RobustnessCurve[] curves, string path)
    {
        var plot = new Plot();
        foreach (RobustnessCurve c in curves)
        {
            double[] xs = [0, .. c.Points.Select(p => p.Level)];
            double[] ys = [r.Accuracy, .. c.Points.Select(p => p.Accuracy)];
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = c.OutlierRemoval ? "with SOR" : "without SOR";
        }

        plot.Axes.SetLimitsY(0, 1);
        plot.Title($"Accuracy under {curves[0].Perturbation}");
        plot.XLabel(curves[0].Unit);
        plot.YLabel("accuracy");
        plot.ShowLegend();
        Save(plot, path);
    }

    // ScottPlot writes the file itself; rendering to a sibling temp name and renaming keeps the write atomic.
    private static void Save(Plot plot, string path)
    {
        string temp = $"{path}.{Environment.ProcessId}.tmp.png";
        plot.SavePng(temp, Width, Height);
        File.Move(temp, path, overwrite: true);
    }
}
