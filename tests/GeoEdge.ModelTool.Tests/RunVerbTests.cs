using GeoEdge.Geometry.IO;
using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Tests;

/// <summary>`geoedge-model run` through the CLI entry point: outputs equal the references, and each input mistake is one line.</summary>
[Trait("Category", "Integration")]
public sealed class RunVerbTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Runner(string name) => Fixtures.Path("onnx", "runner", name);

    [Fact]
    public void A_pytorch_export_run_on_npy_and_npz_inputs_writes_pytorchs_output()
    {
        CliResult r = CliRunner.Run("run", Runner("point_mlp.onnx"), "--input", $"pos={Runner("point_mlp.pos.npy")}", "--input", $"nbr={Runner("point_mlp.ref.npz")}:nbr", "--out", _temp.File("out"));

        Assert.Equal((0, string.Empty), (r.ExitCode, r.Stderr));
        Assert.Equal($"out: float32 [6, 2] -> {_temp.File("out/out.npy")}\n", r.Stdout.ReplaceLineEndings("\n"));
        NpyArray written = NpyFile.Read(_temp.File("out/out.npy"));
        NpyArray pytorch = NpzFile.Read(Runner("point_mlp.ref.npz"))["out"];
        Assert.Equal([6, 2], written.Shape);
        float[] expected = pytorch.AsSpan<float>().ToArray();
        float[] actual = written.AsSpan<float>().ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f, $"element {i}: PyTorch {expected[i]}, ONNX Runtime {actual[i]}");
        }
    }

    [Fact]
    public void A_model_with_external_data_gives_the_numpy_result_exactly()
    {
        CliResult r = CliRunner.Run("run", Runner("linear_ext.onnx"), "--input", $"x={Runner("linear_ext.x.npy")}", "--out", _temp.Path);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(NpyFile.Read(Runner("linear_ext.y.npy")).Data, NpyFile.Read(_temp.File("y.npy")).Data);
        Assert.Equal([-2.5f, 14, 12, -5, 0, 5.5f], NpyFile.Read(_temp.File("y.npy")).AsSpan<float>().ToArray());
    }

    [Fact]
    public void A_model_saved_with_its_external_data_inlined_runs_alone_with_the_same_result()
    {
        string model = _temp.File("inline.onnx");
        OnnxModel.Load(Runner("linear_ext.onnx")).Save(model);

        CliResult r = CliRunner.Run("run", model, "--input", $"x={Runner("linear_ext.x.npy")}", "--out", _temp.File("out"));

        Assert.Equal((0, string.Empty), (r.ExitCode, r.Stderr));
        Assert.Equal(NpyFile.Read(Runner("linear_ext.y.npy")).Data, NpyFile.Read(_temp.File("out/y.npy")).Data);
    }

    [Fact]
    public void An_error_inside_onnx_runtime_is_one_line_and_exit_1()
    {
        string nbr = _temp.File("nbr.npy");
        NpyFile.Write(nbr, NpyArray.FromInt64([0, 1, 2, 3, 4, 99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 6, 3));

        CliResult r = Run($"pos={Runner("point_mlp.pos.npy")}", "nbr=" + nbr);

        Assert.Equal(1, r.ExitCode);
        string line = Assert.Single(r.StderrLines);
        Assert.StartsWith("geoedge-model: ONNX Runtime: ", line, StringComparison.Ordinal);
        Assert.Contains("Gather node. Name:'/Gather' Status Message: indices element out of data bounds, idx=99", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_sized_by_input_values_and_bool_outputs_are_written()
    {
        CliResult r = CliRunner.Run("run", Runner("nonzero.onnx"), "--input", $"x={Runner("nonzero.x.npy")}", "--out", _temp.Path);

        Assert.Equal(0, r.ExitCode);
        NpyArray mask = NpyFile.Read(_temp.File("mask.npy"));
        NpyArray idx = NpyFile.Read(_temp.File("idx.npy"));
        Assert.Equal(NpyDType.Bool, mask.DType);
        Assert.Equal(new byte[] { 0, 1, 0, 1, 1 }, mask.Data);
        Assert.Equal([1, 3], idx.Shape);
        Assert.Equal([1L, 3, 4], idx.AsSpan<long>().ToArray());
    }

    [Fact]
    public void A_wrong_dtype_names_the_input_the_file_and_both_dtypes()
    {
        string pos = _temp.File("pos64.npy");
        NpyFile.Write(pos, new NpyArray(NpyDType.Float64, [6, 3], new byte[6 * 3 * 8]));

        CliResult r = Run("pos=" + pos, $"nbr={Runner("point_mlp.ref.npz")}:nbr");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"geoedge-model: input 'pos' ({pos}): dtype float64 given, model expects float32", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void A_rank_mismatch_shows_the_declared_shape()
    {
        string pos = _temp.File("flat.npy");
        NpyFile.Write(pos, NpyArray.FromFloat32(new float[18], 18));

        CliResult r = Run("pos=" + pos, $"nbr={Runner("point_mlp.ref.npz")}:nbr");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"geoedge-model: input 'pos' ({pos}): shape [18] has rank 1, model declares [num_points, 3] (rank 2)", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void Inputs_that_disagree_on_a_shared_symbolic_dimension_are_refused()
    {
        string nbr = _temp.File("nbr5.npy");
        NpyFile.Write(nbr, NpyArray.FromInt64(new long[15], 5, 3));

        CliResult r = Run($"pos={Runner("point_mlp.pos.npy")}", "nbr=" + nbr);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"geoedge-model: input 'nbr' ({nbr}): dimension 0 (num_points) is 5, but input 'pos' has num_points = 6", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void A_fortran_order_npy_is_refused_with_the_fix()
    {
        CliResult r = Run($"pos={Runner("point_mlp.pos_fortran.npy")}", $"nbr={Runner("point_mlp.ref.npz")}:nbr");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Fortran-order arrays are not supported: save with np.ascontiguousarray", Assert.Single(r.StderrLines), StringComparison.Ordinal);
        Assert.Contains("point_mlp.pos_fortran.npy", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_npz_key_lists_the_keys_the_archive_holds()
    {
        CliResult r = Run($"pos={Runner("point_mlp.pos.npy")}", $"nbr={Runner("point_mlp.ref.npz")}:neighbours");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"geoedge-model: input 'nbr': {Runner("point_mlp.ref.npz")} has no array 'neighbours' (it holds pos, nbr, out, labels)", Assert.Single(r.StderrLines));
        Assert.False(Directory.Exists(_temp.File("out")));
    }

    [Fact]
    public void A_missing_input_is_a_command_line_error()
    {
        CliResult r = Run($"pos={Runner("point_mlp.pos.npy")}");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("geoedge-model: missing --input for nbr (the model's inputs: pos, nbr)", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void An_input_name_the_model_lacks_is_a_command_line_error()
    {
        CliResult r = Run($"pos={Runner("point_mlp.pos.npy")}", $"nbr={Runner("point_mlp.ref.npz")}:nbr", $"points={Runner("point_mlp.pos.npy")}");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("geoedge-model: model has no input named points (its inputs: pos, nbr)", Assert.Single(r.StderrLines));
    }

    [Theory]
    [InlineData("pos", "--input wants NAME=FILE.npy or NAME=FILE.npz:KEY, got 'pos'")]
    [InlineData("=a.npy", "--input wants NAME=FILE.npy or NAME=FILE.npz:KEY, got '=a.npy'")]
    [InlineData("pos=ref.npz", "--input pos=ref.npz: a .npz holds several arrays; name one as NAME=FILE.npz:KEY")]
    [InlineData("pos=ref.npz:", "--input pos=ref.npz:: name the array after the colon, NAME=FILE.npz:KEY")]
    public void Malformed_inputs_are_command_line_errors(string input, string message)
    {
        CliResult r = CliRunner.Run("run", Runner("point_mlp.onnx"), "--input", input, "--out", _temp.Path);

        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"geoedge-model: {message}", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void The_same_input_twice_is_a_command_line_error()
    {
        CliResult r = Run($"pos={Runner("point_mlp.pos.npy")}", $"pos={Runner("point_mlp.pos.npy")}");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("geoedge-model: input 'pos' is given twice", Assert.Single(r.StderrLines));
    }

    private CliResult Run(params string[] inputs)
    {
        var args = new List<string> { "run", Runner("point_mlp.onnx"), "--out", _temp.File("out") };
        foreach (string input in inputs)
        {
            args.Add("--input");
            args.Add(input);
        }

        return CliRunner.Run([.. args]);
    }
}
