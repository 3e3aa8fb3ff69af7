using System.Text.Json;

namespace GeoEdge.ModelTool.Tests;

/// <summary>`geoedge-model inspect` through the CLI entry point, as text and as JSON.</summary>
[Trait("Category", "Unit")]
public sealed class InspectVerbTests
{
    private static string Runner(string name) => Fixtures.Path("onnx", "runner", name);

    [Fact]
    public void Text_lists_interface_opsets_operators_and_parameters_of_a_pytorch_export()
    {
        CliResult r = CliRunner.Run("inspect", Runner("point_mlp.onnx"));

        Assert.Equal((0, string.Empty), (r.ExitCode, r.Stderr));
        string expected = $"""
            model:        {Runner("point_mlp.onnx")}
            size:         1105 bytes
            ir_version:   8
            producer:     pytorch 1.13.0
            opsets:       ai.onnx 17
            inputs:
              pos  float32 [num_points, 3]
              nbr  int64 [num_points, 3]
            outputs:
              out  float32 [num_points, 2]
            initializers: 4 (50 parameters)
            nodes:        9
            operators:
                   1  Add
                   1  Constant
                   1  Gather
                   1  Gemm
                   1  MatMul
                   1  ReduceMax
                   1  Relu
                   1  Sub
                   1  Unsqueeze

            """;
        Assert.Equal(expected, r.Stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Operators_are_listed_most_frequent_first()
    {
        CliResult r = CliRunner.Run("inspect", Runner("index_add.onnx"));

        string[] lines = r.Stdout.Split('\n');
        int start = Array.IndexOf(lines, "operators:") + 1;
        Assert.Equal(
            ["       5  Constant", "       2  Expand", "       1  Add", "       1  Mul", "       1  ScatterElements", "       1  Shape", "       1  Unsqueeze"],
            lines[start..^1]);
    }

    [Fact]
    public void A_model_with_external_data_counts_its_parameters_and_both_files_in_its_size()
    {
        CliResult r = CliRunner.Run("inspect", Runner("linear_ext.onnx"));

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("size:         336 bytes (model 276, external data 60 in linear_ext.weights)\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("initializers: 2 (15 parameters)\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("  x  float32 [batch, 4]\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_carries_the_same_facts_with_symbolic_dims_as_strings()
    {
        CliResult r = CliRunner.Run("inspect", Runner("linear_ext.onnx"), "--json");

        Assert.Equal(0, r.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(r.Stdout);
        JsonElement root = doc.RootElement;
        Assert.Equal(8, root.GetProperty("ir_version").GetInt64());
        Assert.Equal("geoedge-fixtures", root.GetProperty("producer_name").GetString());
        JsonElement opset = Assert.Single(root.GetProperty("opset_imports").EnumerateArray());
        Assert.Equal(("", 13), (opset.GetProperty("domain").GetString(), opset.GetProperty("version").GetInt32()));
        JsonElement x = Assert.Single(root.GetProperty("inputs").EnumerateArray());
        Assert.Equal(("x", "float32"), (x.GetProperty("name").GetString(), x.GetProperty("dtype").GetString()));
        Assert.Equal(("batch", 4), (x.GetProperty("shape")[0].GetString(), x.GetProperty("shape")[1].GetInt32()));
        Assert.Equal(["Add:1", "MatMul:1"], root.GetProperty("operators").EnumerateArray().Select(o => $"{o.GetProperty("op_type").GetString()}:{o.GetProperty("count").GetInt32()}"));
        Assert.Equal((2, 15L, 336L), (root.GetProperty("initializer_count").GetInt32(), root.GetProperty("parameter_count").GetInt64(), root.GetProperty("size_bytes").GetInt64()));
        Assert.Equal("linear_ext.weights", Assert.Single(root.GetProperty("external_data_files").EnumerateArray()).GetString());
    }

    [Fact]
    public void A_file_that_is_not_a_model_fails_with_one_line()
    {
        CliResult r = CliRunner.Run("inspect", Runner("point_mlp.ref.npz"));

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"geoedge-model: {Runner("point_mlp.ref.npz")}: not an ONNX model", Assert.Single(r.StderrLines), StringComparison.Ordinal);
    }
}
