using GeoEdge.Host.Configuration;
using GeoEdge.Host.Models;
using GeoEdge.Inference.Bundles;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.Host.Cli;

/// <summary>`geoedge models ...`: list, install, activate and roll back models in a state directory's store, directly.</summary>
/// <remarks>Meant for when the service is stopped (two processes must not run one store). Every verb first runs
/// recovery, so an activation a crash interrupted is finished or rolled back before anything else happens.</remarks>
internal static class ModelsCommand
{
    /// <summary>Fault-injection switch for the crash tests: stop (print a marker line and block) right after this state is persisted.</summary>
    public const string PauseVariable = "GEOEDGE_TEST_PAUSE_AT";

    /// <summary>The line printed when paused; a test waits for it before killing the process.</summary>
    public const string PausedMarker = "geoedge: paused at ";

    private const string Options = "--state DIR --keys PEM[,PEM...], or --config FILE";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        if (args.Length == 0)
        {
            throw new UsageException("models needs a verb: list | install | activate | rollback");
        }

        Arguments a = Arguments.Parse(args[1..]);
        a.RejectUnknown("--state", "--keys", "--config");
        if (a.Get("--config") is { } config)
        {
            // The device config names the state directory, the keys and the endpoint: through the service when it runs.
            DeviceOptions options = DeviceConfiguration.Load(config);
            using ServiceModelsClient? service = ServiceModelsClient.TryConnect(options);
            if (service is not null)
            {
                return service.Run(args[0], a.Positional, stdout);
            }

            a = Arguments.Parse([.. args[1..].ToArray().Where(x => x != "--config" && x != config), "--state", options.StateDirectory, "--keys", string.Join(',', options.TrustedKeys)]);
        }

        using ModelStore store = Open(a, stdout);
        IReadOnlyList<RecoveryReport> recovered = store.RecoverAsync().GetAwaiter().GetResult();
        return args[0] switch
        {
            "list" => List(a, store, recovered, stdout),
            "install" => Install(a, store, stdout),
            "activate" => Activate(a, store, stdout),
            "rollback" => Rollback(a, store, stdout),
            _ => throw new UsageException($"unknown models verb '{args[0]}'"),
        };
    }

    private static ModelStore Open(Arguments a, TextWriter stdout)
    {
        string state = a.Get("--state") ?? throw new UsageException($"option --state is required ({Options})");
        string keys = a.Get("--keys") ?? throw new UsageException($"option --keys is required ({Options})");
        TrustedKeys trusted = TrustedKeys.FromPemFiles(keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return new ModelStore(state, trusted, sessionOptions: null, NullLogger<ModelStore>.Instance, TimeProvider.System)
        {
            StatePersisted = PauseHook(stdout),
        };
    }

    private static Func<string, ActivationState, CancellationToken, ValueTask>? PauseHook(TextWriter stdout)
    {
        if (Environment.GetEnvironmentVariable(PauseVariable) is not { Length: > 0 } text)
        {
            return null;
        }

        if (!Enum.TryParse(text, ignoreCase: false, out ActivationState pauseAt))
        {
            throw new UsageException($"{PauseVariable}={text} is not an activation state");
        }

        return async (model, state, cancellationToken) =>
        {
            if (state == pauseAt)
            {
                await stdout.WriteLineAsync($"{PausedMarker}{state} ({model})").ConfigureAwait(false);
                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
        };
    }

    private static int List(Arguments a, ModelStore store, IReadOnlyList<RecoveryReport> recovered, TextWriter stdout)
    {
        a.ExpectPositional(0, $"models list {Options}");
        foreach (RecoveryReport report in recovered)
        {
            if (report.Resumed is { } resumed)
            {
                stdout.WriteLine($"recovered: {resumed}");
            }

            if (report.Problem is { } problem)
            {
                stdout.WriteLine($"problem: {report.Model}: {problem}");
            }
        }

        foreach (ModelSummary model in store.List())
        {
            stdout.WriteLine($"{model.Name}: active {model.Active ?? "-"}, previous {model.Previous ?? "-"}, serving {model.Serving ?? "-"}, installed {string.Join(' ', model.Installed)}");
            if (model.LastActivation is { } last)
            {
                stdout.WriteLine($"  last activation: {last}");
            }
        }

        return CommandLine.Ok;
    }

    private static int Install(Arguments a, ModelStore store, TextWriter stdout)
    {
        a.ExpectPositional(1, $"models install BUNDLE {Options}");
        stdout.WriteLine(store.InstallAsync(a.Positional[0]).GetAwaiter().GetResult());
        return CommandLine.Ok;
    }

    private static int Activate(Arguments a, ModelStore store, TextWriter stdout)
    {
        a.ExpectPositional(2, $"models activate NAME VERSION {Options}");
        return Report(store.ActivateAsync(a.Positional[0], a.Positional[1]).GetAwaiter().GetResult(), stdout);
    }

    private static int Rollback(Arguments a, ModelStore store, TextWriter stdout)
    {
        a.ExpectPositional(1, $"models rollback NAME {Options}");
        return Report(store.RollbackAsync(a.Positional[0]).GetAwaiter().GetResult(), stdout);
    }

    private static int Report(ActivationResult result, TextWriter stdout)
    {
        stdout.WriteLine(result);
        return result.Succeeded ? CommandLine.Ok : CommandLine.Failure;
    }
}
