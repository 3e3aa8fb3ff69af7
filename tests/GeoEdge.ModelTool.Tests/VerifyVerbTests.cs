using GeoEdge.Geometry.IO;

namespace GeoEdge.ModelTool.Tests;

/// <summary>`geoedge-model verify`: a faithful export passes, an export that runs but is wrong (pytorch#111159) fails with its worst element.</summary>
[Trait("Category", "Integration")]
public sealed class VerifyVerbTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Runner(string name) => Fixtures.Path("onnx", "runner", name);

    [Fact]
    public void A_faithful_pytorch_export_matches_its_reference_and_says_which_arrays_it_used()
    {
        CliResult r = CliRunner.Run("verify", Runner("point_mlp.onnx"), "--reference", Runner("point_mlp.ref.npz"));

        Assert.Equal((0, string.Empty), (r.ExitCode, r.Stderr));
        string[] lines = r.Stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal($"reference:  {Runner("point_mlp.ref.npz")} (inputs: pos, nbr; outputs: out; ignored: labels)", lines[1]);
        Assert.Equal("tolerance:  |model - reference| <= 0.0001 + 0 * |reference|", lines[2]);
        Assert.StartsWith("ok    out float32 [6, 2]: max abs error ", lines[3], StringComparison.Ordinal);
        Assert.Equal("verify: all 1 output(s) match the reference", lines[4]);
    }

    [Fact]
    public void Index_add_with_duplicate_indices_exported_by_torch_fails_at_the_overwritten_row()
    {
        // PyTorch sums messages 0, 2 and 4 into row 0: 2 * ([1, 2] + [5, 6] + [9, 10]) = [30, 36]; the export's
        // ScatterElements overwrites instead, and ONNX Runtime keeps the last write, 2 * [9, 10] = [18, 20].
        CliResult r = CliRunner.Run("verify", Runner("index_add.onnx"), "--reference", Runner("index_add.ref.npz"));

        Assert.Equal((1, string.Empty), (r.ExitCode, r.Stderr));
        Assert.Contains("FAIL  aggregated float32 [6, 2]: 2 of 12 elements differ; max abs error 16, worst at [0, 1] (model 20, reference 36)\n", r.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("verify: 1 of 1 output(s) differ from the reference\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tolerance_wide_enough_accepts_the_same_difference()
    {
        CliResult r = CliRunner.Run("verify", Runner("index_add.onnx"), "--reference", Runner("index_add.ref.npz"), "--atol", "16");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("ok    aggregated float32 [6, 2]: max abs error 16, worst at [0, 1] (model 20, reference 36)\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reference_of_another_shape_fails_that_output()
    {
        IReadOnlyDictionary<string, NpyArray> reference = NpzFile.Read(Runner("point_mlp.ref.npz"));
        string path = _temp.File("ref.npz");
        NpzFile.Write(path, [new("pos", reference["pos"]), new("nbr", reference["nbr"]), new("out", new NpyArray(NpyDType.Float32, [2, 6], reference["out"].Data))]);

        CliResult r = CliRunner.Run("verify", Runner("point_mlp.onnx"), "--reference", path);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("FAIL  out float32 [6, 2]: reference has shape [2, 6]\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reference_without_an_output_fails_before_running()
    {
        IReadOnlyDictionary<string, NpyArray> reference = NpzFile.Read(Runner("point_mlp.ref.npz"));
        string path = _temp.File("ref.npz");
        NpzFile.Write(path, [new("pos", reference["pos"]), new("nbr", reference["nbr"])]);

        CliResult r = CliRunner.Run("verify", Runner("point_mlp.onnx"), "--reference", path);

        Assert.Equal((1, string.Empty), (r.ExitCode, r.Stdout));
        Assert.Equal($"geoedge-model: {path} has no array 'out' for model output 'out' (it holds pos, nbr)", Assert.Single(r.StderrLines));
    }

    [Theory]
    [InlineData("--atol", "-1")]
    [InlineData("--rtol", "NaN")]
    [InlineData("--atol", "1e-4x")]
    public void A_bad_tolerance_is_a_command_line_error(string option, string value)
    {
        CliResult r = CliRunner.Run("verify", Runner("point_mlp.onnx"), "--reference", Runner("point_mlp.ref.npz"), option, value);

        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"geoedge-model: {option} must be a finite number >= 0, got '{value}'", Assert.Single(r.StderrLines));
    }
}
