using System.Text.Json.Nodes;
using GeoEdge.Host.Configuration;
using Json.Schema;

namespace GeoEdge.Host.Tests.Configuration;

[Trait("Category", "Unit")]
public sealed class DeviceConfigurationTests
{
    private static readonly string[] Boards = [.. Directory.GetFiles(Repository.Path("device-configs"), "*.json")
        .Select(f => Path.GetFileNameWithoutExtension(f)!).Where(n => n != "device-config.schema" && !n.StartsWith(".test-", StringComparison.Ordinal)).Order()];

    public static TheoryData<string> ShippedBoards => new(Boards);

    [Fact]
    public void Every_board_the_issue_names_ships_a_config()
    {
        Assert.Equal(["dev-x64", "jetson-agx-orin", "jetson-orin-nano", "raspberry-pi-4", "raspberry-pi-5"], Boards);
    }

    [Theory]
    [MemberData(nameof(ShippedBoards))]
    public void Shipped_config_is_valid_against_the_schema(string board)
    {
        JsonSchema schema = Schema.Value;
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.Path($"device-configs/{board}.json")));

        EvaluationResults result = schema.Evaluate(config.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Theory]
    [MemberData(nameof(ShippedBoards))]
    public void Shipped_config_binds_and_passes_the_service_validation(string board)
    {
        DeviceOptions o = DeviceConfiguration.Load(Repository.Path($"device-configs/{board}.json"), Empty, checkFiles: board == "dev-x64");

        Assert.Equal(board, o.Board.Name);
        Assert.NotEmpty(o.Pipelines);
        Assert.All(o.Pipelines, p => Assert.Contains(o.Models, m => m.Name == p.Model));
    }

    [Fact]
    public void Dev_config_resolves_paths_against_its_own_directory()
    {
        DeviceOptions o = DeviceConfiguration.Load(Repository.Path("device-configs/dev-x64.json"), Empty);

        Assert.Equal(Repository.Path("artifacts/state/dev-x64"), o.StateDirectory);
        Assert.Equal(Repository.Path("models/dev-keys/geoedge-dev.pub.pem"), o.TrustedKeys.Single());
        Assert.Equal(Repository.Path("models/shapes-dgcnn/bundle"), o.Models[0].Bundle);
        Assert.Equal(Path.Combine(o.StateDirectory, "events.jsonl"), o.Events.File);
        Assert.Equal(("shapes", "replay", 2.0, true), (o.Pipelines[0].Name, o.Pipelines[0].Source.Kind, o.Pipelines[0].Source.RateHz, o.Pipelines[0].Source.Loop));
        Assert.Equal(["cpu"], o.Runtime.ExecutionProviders);
    }

    [Fact]
    public void Jetson_config_prefers_tensorrt_then_cuda_then_cpu()
    {
        DeviceOptions o = DeviceConfiguration.Load(Repository.Path("device-configs/jetson-orin-nano.json"), Empty, checkFiles: false);

        Assert.Equal(["tensorrt", "cuda", "cpu"], o.Runtime.ExecutionProviders);
        Assert.Equal("/opt/onnxruntime/lib/libonnxruntime.so", o.Runtime.OnnxRuntimeLibrary);
        Assert.Equal(("bme280", 0x76, "temp_r1"), (o.Sensors[0].Kind, o.Sensors[0].Address, o.Sensors[0].Channels["temperature"]));
        Assert.Equal(100.0, o.Sensors[3].Scale["a0"]);
    }

    [Fact]
    public void Environment_overrides_replace_file_values()
    {
        var overrides = new Dictionary<string, string?> { ["pipelines:0:source:rateHz"] = "7.5", ["runtime:intraOpThreads"] = "2" };

        DeviceOptions o = DeviceConfiguration.Load(Repository.Path("device-configs/dev-x64.json"), overrides);

        Assert.Equal((7.5, 2), (o.Pipelines[0].Source.RateHz, o.Runtime.IntraOpThreads));
    }

    [Fact]
    public void Environment_variable_names_map_to_fields()
    {
        // GEOEDGE__PIPELINES__0__SOURCE__RATEHZ is what an operator writes in a systemd drop-in (Environment=...).
        string name = DeviceConfiguration.EnvironmentPrefix + "PIPELINES__0__SOURCE__RATEHZ";
        Environment.SetEnvironmentVariable(name, "3");
        try
        {
            DeviceOptions o = DeviceConfiguration.Load(Repository.Path("device-configs/dev-x64.json"));

            Assert.Equal(3.0, o.Pipelines[0].Source.RateHz);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData("pipelines[0].source.rateHz", "/pipelines/0/source/rateHz", "0", "pipelines[0].source.rateHz")]
    [InlineData("board.arch", "/board/arch", "\"riscv\"", "board.arch")]
    [InlineData("events.capacity", "/events/capacity", "0", "events.capacity")]
    public void Out_of_range_value_names_the_file_and_the_field(string _, string pointer, string json, string field)
    {
        using var dir = new TempDirectory();
        string file = WriteVariant(dir, pointer, json);

        DeviceConfigException e = Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(file, Empty, checkFiles: false));

        Assert.Equal(file, e.File);
        Assert.Contains(e.Errors, x => x.Field == field);
        Assert.StartsWith(file + ": ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sensor_address_outside_the_7_bit_range_names_the_sensor()
    {
        using var dir = new TempDirectory();
        string pi = Repository.Path($"device-configs/.test-{Path.GetFileName(dir.Path)}-pi.json");
        File.Copy(Repository.Path("device-configs/raspberry-pi-4.json"), pi);
        dir.Track(pi);
        WriteVariant(dir, "/sensors/2/address", "200", pi);

        DeviceConfigException e = Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(pi, Empty, checkFiles: false));

        Assert.Equal("sensors[2].address", e.Errors.Single().Field);
    }

    [Fact]
    public void Attribute_errors_read_as_field_and_rule()
    {
        using var dir = new TempDirectory();
        string file = WriteVariant(dir, "/pipelines/0/source/rateHz", "0");
        file = WriteVariant(dir, "/board/arch", "\"riscv\"", file);

        DeviceConfigException e = Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(file, Empty, checkFiles: false));

        Assert.Equal(
            ["board.arch: not one of the allowed values (see device-config.schema.json)", "pipelines[0].source.rateHz: must be between 0.001 and 10000"],
            e.Errors.Select(x => x.ToString()).Order());
    }

    [Fact]
    public void Cross_field_rules_name_each_field()
    {
        using var dir = new TempDirectory();
        string file = WriteVariant(dir, "/pipelines/0/model", "\"nope\"");
        file = WriteVariant(dir, "/pipelines/1/sinks/0", "\"email\"", file);
        file = WriteVariant(dir, "/pipelines/0/source/path", "\"missing-dir\"", file);

        DeviceConfigException e = Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(file, Empty));

        Assert.Equal(["pipelines[0].model", "pipelines[0].source.path", "pipelines[1].sinks[0]"], e.Errors.Select(x => x.Field).Order());
        Assert.Contains("'nope' is not one of the configured models", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_is_an_error_not_silently_ignored()
    {
        using var dir = new TempDirectory();
        string file = WriteVariant(dir, "/pipelines/0/source/rate", "5");

        DeviceConfigException e = Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(file, Empty, checkFiles: false));

        Assert.Contains("rate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_of_the_wrong_type_names_the_field()
    {
        using var dir = new TempDirectory();
        string file = WriteVariant(dir, "/runtime/intraOpThreads", "\"many\"");

        DeviceConfigException e = Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(file, Empty, checkFiles: false));

        Assert.Equal("runtime.intraOpThreads", e.Errors.Single().Field);
    }

    [Fact]
    public void Broken_json_and_missing_file_are_config_errors()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.json"), "{ \"board\": { \"name\": ");

        Assert.Contains("not valid JSON", Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(dir.File("bad.json"), Empty)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(dir.File("none.json"), Empty)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_trusted_keys_are_refused()
    {
        using var dir = new TempDirectory();
        string file = WriteVariant(dir, "/trustedKeys", "[]");

        DeviceConfigException e = Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(file, Empty, checkFiles: false));

        Assert.Equal("trustedKeys", e.Errors.Single().Field);
    }

    [Fact]
    public void Fleet_section_binds_with_defaults_resolves_the_token_file_and_passes_the_schema()
    {
        using var dir = new TempDirectory();
        string file = WriteVariant(dir, "/fleet", """{ "serverUrl": "https://fleet.example:8443", "enrollmentTokenFile": "../models/dev-keys/geoedge-dev.pub.pem", "pollSeconds": 30, "attributes": { "site": "lab" } }""");

        DeviceOptions o = DeviceConfiguration.Load(file, Empty);
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));

        Assert.Equal(("https://fleet.example:8443", 30, 60, 10_080, false), (o.Fleet!.ServerUrl, o.Fleet.PollSeconds, o.Fleet.MetricsWindowSeconds, o.Fleet.MetricsQueueMaxWindows, o.Fleet.UseClientCertificate));
        Assert.Equal(Repository.Path("models/dev-keys/geoedge-dev.pub.pem"), o.Fleet.EnrollmentTokenFile);
        Assert.Equal("lab", o.Fleet.Attributes["site"]);
        Assert.True(Schema.Value.Evaluate(config.RootElement).IsValid);
    }

    [Fact]
    public void Drift_section_binds_defaults_to_threshold_3_and_rules_and_schema_agree_on_its_range()
    {
        using var dir = new TempDirectory();
        string good = WriteVariant(dir, "/drift", """{ "threshold": 2.5, "minInputs": 50 }""");
        DeviceOptions o = DeviceConfiguration.Load(good, Empty, checkFiles: false);
        using var goodJson = System.Text.Json.JsonDocument.Parse(File.ReadAllText(good));
        DeviceOptions defaults = DeviceConfiguration.Load(Repository.Path("device-configs/dev-x64.json"), Empty, checkFiles: false);
        string bad = WriteVariant(dir, "/drift", """{ "threshold": 0, "minInputs": 0 }""");
        using var badJson = System.Text.Json.JsonDocument.Parse(File.ReadAllText(bad));

        DeviceConfigException e = Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(bad, Empty, checkFiles: false));

        Assert.Equal((true, 2.5, 50), (o.Drift.Events, o.Drift.Threshold, o.Drift.MinInputs));
        Assert.Equal((true, 3.0, 30), (defaults.Drift.Events, defaults.Drift.Threshold, defaults.Drift.MinInputs));
        Assert.Equal(["drift.minInputs", "drift.threshold"], e.Errors.Select(x => x.Field).Order());
        Assert.True(Schema.Value.Evaluate(goodJson.RootElement).IsValid);
        Assert.False(Schema.Value.Evaluate(badJson.RootElement).IsValid);
    }

    [Fact]
    public void Without_a_fleet_section_there_is_no_agent()
    {
        Assert.Null(DeviceConfiguration.Load(Repository.Path("device-configs/dev-x64.json"), Empty).Fleet);
    }

    [Fact]
    public void Fleet_rules_name_each_field_and_the_schema_agrees()
    {
        using var dir = new TempDirectory();
        string file = WriteVariant(dir, "/fleet", """{ "serverUrl": "ftp://fleet", "pollSeconds": 0 }""");

        DeviceConfigException e = Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(file, Empty));
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));

        Assert.Equal(["fleet.enrollmentToken", "fleet.pollSeconds", "fleet.serverUrl"], e.Errors.Select(x => x.Field).Order());
        Assert.False(Schema.Value.Evaluate(config.RootElement).IsValid);
    }

    [Fact]
    public void A_client_certificate_needs_https()
    {
        using var dir = new TempDirectory();
        string file = WriteVariant(dir, "/fleet", """{ "serverUrl": "http://fleet:8080", "enrollmentToken": "t", "useClientCertificate": true }""");

        DeviceConfigException e = Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(file, Empty));

        Assert.Equal("fleet.useClientCertificate: a client certificate needs an https:// serverUrl", e.Errors.Single().ToString());
    }

    [Fact]
    public void A_client_certificate_on_the_device_port_needs_an_enrollUrl_and_the_schema_agrees()
    {
        using var dir = new TempDirectory();
        string without = WriteVariant(dir, "/fleet", """{ "serverUrl": "https://fleet:8443", "enrollmentToken": "t", "useClientCertificate": true }""");

        DeviceConfigException e = Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(without, Empty));

        Assert.StartsWith("fleet.enrollUrl: required with useClientCertificate", e.Errors.Single().ToString(), StringComparison.Ordinal);

        string with = WriteVariant(dir, "/fleet", """{ "serverUrl": "https://fleet:8443", "enrollUrl": "http://fleet:8080", "enrollmentToken": "t", "useClientCertificate": true }""");
        DeviceOptions o = DeviceConfiguration.Load(with, Empty);
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(with));
        Assert.Equal(("https://fleet:8443", "http://fleet:8080", true), (o.Fleet!.ServerUrl, o.Fleet.EnrollUrl, o.Fleet.UseClientCertificate));
        Assert.True(Schema.Value.Evaluate(config.RootElement).IsValid);

        string bad = WriteVariant(dir, "/fleet", """{ "serverUrl": "https://fleet:8443", "enrollUrl": "fleet:8080", "enrollmentToken": "t" }""");
        Assert.Equal("fleet.enrollUrl: 'fleet:8080' is not an absolute http:// or https:// URL",
            Assert.Throws<DeviceConfigException>(() => DeviceConfiguration.Load(bad, Empty)).Errors.Single().ToString());
    }

    private static readonly Dictionary<string, string?> Empty = [];

    // JsonSchema.Net registers a schema by its $id once per process.
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromFile(Repository.Path("device-configs/device-config.schema.json")));

    /// <summary>dev-x64.json copied beside its original (so relative paths still resolve) with one JSON-pointer field replaced.</summary>
    private static string WriteVariant(TempDirectory dir, string pointer, string json, string? from = null)
    {
        JsonNode root = JsonNode.Parse(File.ReadAllText(from ?? Repository.Path("device-configs/dev-x64.json")))!;
        string[] parts = pointer.Trim('/').Split('/');
        JsonNode parent = root;
        foreach (string part in parts[..^1])
        {
            parent = int.TryParse(part, out int i) ? parent[i]! : parent[part]!;
        }

        JsonNode? value = JsonNode.Parse(json);
        if (int.TryParse(parts[^1], out int index))
        {
            parent.AsArray()[index] = value;
        }
        else
        {
            parent[parts[^1]] = value;
        }

        // Kept inside device-configs/ so "../models/..." resolves; the name is unique per test and deleted with the dir.
        string file = from ?? Repository.Path($"device-configs/.test-{Path.GetFileName(dir.Path)}.json");
        File.WriteAllText(file, root.ToJsonString());
        dir.Track(file);
        return file;
    }
}
