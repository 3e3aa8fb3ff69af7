using System.Security.Cryptography;
using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Running;
using Microsoft.ML.OnnxRuntime;

namespace GeoEdge.ModelTool.Cli;

/// <summary>The `geoedge-model` command line: dispatches verbs and turns every failure into one line and an exit code.</summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Regression = 3;

    private const string UsageText = """
        usage: geoedge-model <verb> [options]

          keygen --out DIR [--name NAME]
          pack MODEL.onnx --spec SPEC.json --key KEY.pem --out OUT(.geob|DIR) [--file EXTRA ...] [--split NAME=DATA.npz ...]
          verify-bundle BUNDLE (--trusted PUB.pem ... | --allow-unsigned)
          inspect MODEL.onnx [--json]
          run MODEL.onnx --input NAME=FILE.npy|NAME=FILE.npz:KEY ... --out DIR
          verify MODEL.onnx --reference REF.npz [--atol 1e-4] [--rtol 0]
          optimize IN.onnx --out OUT.onnx [--contract knn-target-major]
          calibrate BUNDLE --validation VAL.npz [--ood OOD.npz | --drift-only] [--score S] [--objective nll|ece] [--false-alarm-rate R | --keep-thresholds] --out OUTBUNDLE --key KEY.pem [--trusted PUB.pem ...]
          evaluate BUNDLE --data TEST.npz [--train TRAIN.npz] [--adversarial ADV.npz] [--out DIR] [--robustness full|quick|off] [--write-manifest OUTBUNDLE --key KEY.pem]
          compare OLD NEW --data TEST.npz [--max-accuracy-drop 0.01] [--max-ece-rise 0.02] [--max-auroc-drop 0.02] [--max-p99-ratio 1.5] [--max-false-alarm-rise 0.01]
          prune IN.onnx|BUNDLE --out OUT.onnx|OUTBUNDLE [--key KEY.pem] (--unstructured SPARSITY | --structured RATIO [--norm l1|l2] [--channel-multiple N]) [--report R.json] [--data TEST.npz]
          quantize IN.onnx|BUNDLE --out OUT.onnx|OUTBUNDLE [--key KEY.pem] (--dynamic | --static --calibration DATA.npz|DIR) [--method minmax|percentile|entropy]
            [--percentile 99.99] [--per-channel] [--reduce-range] [--keep-float NAME_OR_OP,...] [--samples N] [--data TEST.npz]
          version

        keygen: NAME.key.pem (PKCS#8 private key, mode 0600) and NAME.pub.pem (ECDSA P-256); prints the key id.
        pack: the manifest spec is manifest.json without created, model and files (models/README.md); --split fills the
          dataset card (SHA-256 per file, sizes, class balance, split -> file); calibrate and evaluate --write-manifest add
          the validation/ood and test splits. evaluate refuses a test split whose SHA-256 equals the training split's
          (--train, or the card's train split) and warns about test clouds that are near-duplicates of --train clouds.
        verify-bundle: the checks a device runs before loading; --allow-unsigned is the developer switch.
        inspect: inputs/outputs (symbolic dims by name), ir_version, producer, opsets, operator counts, parameters, size.
        run: feeds one array per model input (dtype must match; shapes come from the arrays), writes DIR/OUTPUT.npy.
        verify: runs on REF.npz's arrays named like the model's inputs and compares each output with REF.npz's array of
          its name: |model - reference| <= atol + rtol * |reference|, NaN equal only to NaN; exit 1 on any difference.
        optimize: folds BatchNormalization, factorizes EdgeConv messages (multiply per node, then gather) and, with
          --contract knn-target-major, turns scatter sum/mean aggregation into a dense reduction guarded by an
          in-graph check of the edge order (other edge orders run the original scatter); prints each rewrite,
          runs both models on generated graphs and writes OUT only when every output agrees to 1e-5 relative.
        calibrate: point-cloud classifier; fits T (min NLL, or min ECE with --objective ece) on VAL, ECE/Brier before and after, energy and Mahalanobis
          thresholds at 95% in-distribution recall, AUROC/FPR@95 on OOD; writes calibration/ood and re-signs (default energy; --score
          auto picks the OOD score with the higher AUROC). Always writes the drift reference (per input feature: mean, std,
          min, max over VAL); --drift-only writes only that (a sensor-graph bundle: VAL = raw [M,S,T] windows). evaluate: accuracy, recall, ECE, latency, OOD, seeded
          robustness; DIR gets evaluation.json, report.md and SVG plots. compare: both evaluated, exit 3 on regression.
          Sensor-graph anomaly bundle: calibrate fits p = sigmoid(a * logit + b) (Platt, min NLL) and, at the false-alarm
          rate (default the manifest's target), each sensor's threshold on VAL's normal sensor-windows (--keep-thresholds:
          the manifest's); evaluate reports detection/false alarms per kind, per-sensor and margin AUROC, the probability's ECE.
        prune: --unstructured zeroes the smallest |w| of every MatMul/Gemm/Conv weight to the sparsity (per layer);
          --structured removes that ratio of hidden channels (lowest L1/L2 norm of the producing weights) through
          bias/BatchNormalization/activation/concat/EdgeConv reshapes, shrinking weights so FLOPs drop; groups that reach a
          graph output or an op it cannot prove safe are kept whole (all refused: exit 1). Reports FLOPs/params, each
          output's change on a generated input, the shrunk = masked-original proof, and --data accuracy before/after.
        quantize: int8 weights (symmetric, per output channel with --per-channel, 7-bit with --reduce-range); --dynamic
          turns MatMul/Gemm into DynamicQuantizeLinear + MatMulInteger and reads Conv weights through DequantizeLinear;
          --static puts QuantizeLinear/DequantizeLinear (uint8) on the inputs and outputs of Conv/MatMul/Gemm with ranges
          calibrated on DATA.npz (arrays named like the model inputs, axis 0 = samples; or raw 'pos' clouds for a pos+knn
          model, normalized and kNN-ed as the manifest's preprocessing does; or, for a BUNDLE input, a folder of .pcd/.ply
          files run through the manifest's preprocessing: SOR, sampling, NormalizeScale, kNN; a sensor BUNDLE's raw windows
          are encoded as the device encodes them), int32 biases; prints per-op counts, the max
          |int8 - float| on DATA and, with --data (a 'label' array), float vs int8 top-1 accuracy.
        prune/quantize on a BUNDLE: writes a bundle signed with --key whose manifest records the pruning (per-layer
          target/achieved sparsity, FLOPs) or quantization (method, per-channel, calibration set SHA-256 and size, kept-float
          nodes); calibration, ood and evaluation sections are dropped (fitted on the old graph: calibrate/evaluate again).
        exit codes: 0 ok, 1 bad input or failed check, 2 bad command line (including input names the model lacks), 3 compare: regression
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, TimeProvider.System);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine(UsageText);
            return args.Length == 0 ? Usage : Ok;
        }

        try
        {
            ReadOnlySpan<string> rest = args.AsSpan(1);
            return args[0] switch
            {
                "version" => Version(stdout),
                "keygen" => KeygenCommand.Run(rest, stdout),
                "pack" => PackCommand.Run(rest, stdout, time),
                "verify-bundle" => VerifyBundleCommand.Run(rest, stdout),
                "inspect" => InspectCommand.Run(rest, stdout),
                "run" => RunCommand.Run(rest, stdout),
                "verify" => VerifyCommand.Run(rest, stdout),
                "optimize" => OptimizeCommand.Run(rest, stdout),
                "calibrate" => CalibrateCommand.Run(rest, stdout, time),
                "evaluate" => EvaluateCommand.Run(rest, stdout, stderr, time),
                "compare" => CompareCommand.Run(rest, stdout),
                "prune" => PruneCommand.Run(rest, stdout, stderr, time),
                "quantize" => QuantizeCommand.Run(rest, stdout, time),
                _ => throw new UsageException($"unknown verb '{args[0]}' (try 'geoedge-model --help')"),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"geoedge-model: {e.Message}");
            return Usage;
        }
        catch (Optimize.OptimizationRefusedException e)
        {
            stderr.WriteLine($"geoedge-model: refused: {e.Message}");
            return Failure;
        }
        catch (Datasets.SplitLeakException e)
        {
            stderr.WriteLine($"geoedge-model: refused: {e.Message}");
            return Failure;
        }
        catch (BundleVerificationException e)
        {
            stderr.WriteLine($"geoedge-model: verification failed: {e.Message}");
            return Failure;
        }
        catch (OnnxRuntimeException e)
        {
            stderr.WriteLine($"geoedge-model: ONNX Runtime: {OneLine(e.Message)}");
            return Failure;
        }
        catch (Exception e) when (e is BundleSpecException or CryptographicException or IOException or UnauthorizedAccessException or ArgumentException
            or FormatException or ModelInputException or NotSupportedException)
        {
            stderr.WriteLine($"geoedge-model: {e.Message}");
            return Failure;
        }
    }

    /// <summary>Stops ONNX Runtime's own logger from printing the error this tool reports as its one line.</summary>
    internal static void QuietOnnxRuntime() => OrtEnv.Instance().EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;

    // ONNX Runtime's messages can span lines (a node's description); the contract is one line per failure.
    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static int Version(TextWriter stdout)
    {
        stdout.WriteLine($"geoedge-model {typeof(CommandLine).Assembly.GetName().Version}");
        return Ok;
    }
}
