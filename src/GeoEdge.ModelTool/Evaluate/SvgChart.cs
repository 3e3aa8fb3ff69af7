using System.Globalization;
using System.Text;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>A minimal SVG line/bar chart on [xmin, xmax] x [0, 1], written by hand (no native rendering library needed).</summary>
internal sealed class SvgChart(string title, string xLabel, string yLabel, double xMin, double xMax)
{
    private const int Width = 480, Height = 360, Left = 60, Right = 20, Top = 40, Bottom = 50;
    private static readonly string[] Colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];
    private readonly StringBuilder _body = new();
    private int _series;

    public void Line(string name, IReadOnlyList<(double X, double Y)> points, bool dashed = false)
    {
        string color = Colors[_series % Colors.Length];
        string path = string.Join(' ', points.Select(p => Format($"{X(p.X):0.##},{Y(p.Y):0.##}")));
        _body.Append(Format($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"5,4\"" : string.Empty)} points=\"{path}\"/>\n"));
        foreach ((double x, double y) in points)
        {
            _body.Append(Format($"<circle cx=\"{X(x):0.##}\" cy=\"{Y(y):0.##}\" r=\"3\" fill=\"{color}\"/>\n"));
        }

        _body.Append(Format($"<text x=\"{Left + 10}\" y=\"{Top + 16 + (16 * _series)}\" font-size=\"12\" fill=\"{color}\">{Escape(name)}</text>\n"));
        _series++;
    }

    public void Bars(IReadOnlyList<(double Lower, double Upper, double Value)> bars)
    {
        foreach ((double lo, double hi, double v) in bars)
        {
            _body.Append(Format($"<rect x=\"{X(lo):0.##}\" y=\"{Y(v):0.##}\" width=\"{X(hi) - X(lo):0.##}\" height=\"{Y(0) - Y(v):0.##}\" fill=\"#1f77b4\" fill-opacity=\"0.6\" stroke=\"#1f77b4\"/>\n"));
        }
    }

    public string Render()
    {
        var svg = new StringBuilder();
        svg.Append(Format($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\">\n"));
        svg.Append(Format($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Format($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n"));
        for (int i = 0; i <= 5; i++)
        {
            double fy = i / 5.0, fx = xMin + ((xMax - xMin) * i / 5.0);
            svg.Append(Format($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(fy):0.##}\" y2=\"{Y(fy):0.##}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Format($"<text x=\"{Left - 6}\" y=\"{Y(fy) + 4:0.##}\" text-anchor=\"end\" font-size=\"11\">{fy:0.0}</text>\n"));
            svg.Append(Format($"<text x=\"{X(fx):0.##}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" font-size=\"11\">{fx:0.###}</text>\n"));
        }

        svg.Append(Format($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"black\"/>\n"));
        svg.Append(Format($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\" font-size=\"12\">{Escape(xLabel)}</text>\n"));
        svg.Append(Format($"<text x=\"16\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 16 {(Top + Height - Bottom) / 2})\">{Escape(yLabel)}</text>\n"));
        svg.Append(_body);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private double X(double x) => Left + ((x - xMin) / (xMax - xMin == 0 ? 1 : xMax - xMin) * (Width - Left - Right));

    private static double Y(double y) => Height - Bottom - (Math.Clamp(y, 0, 1) * (Height - Top - Bottom));

    private static string Format(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
