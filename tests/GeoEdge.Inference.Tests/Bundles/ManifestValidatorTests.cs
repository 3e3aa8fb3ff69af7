using System.Text.Json;
using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Tests.Bundles;

[Trait("Category", "Fault")]
public sealed class ManifestValidatorTests
{
    private static readonly string Sha = new('a', 64);

    internal static JsonObject Valid() => new()
    {
        ["name"] = "pointnet-cls",
        ["version"] = "1.0.0",
        ["task"] = "point-cloud-classification",
        ["created"] = "2025-06-01T12:00:00Z",
        ["model"] = "model.onnx",
        ["inputs"] = new JsonArray(
            new JsonObject { ["name"] = "pos", ["dtype"] = "float32", ["shape"] = new JsonArray("N", 3) },
            new JsonObject { ["name"] = "edge_index", ["dtype"] = "int64", ["shape"] = new JsonArray(2, -1) }),
        ["outputs"] = new JsonArray(new JsonObject { ["name"] = "logits", ["dtype"] = "float32", ["shape"] = new JsonArray(1, 4) }),
        ["files"] = new JsonObject { ["model.onnx"] = new JsonObject { ["sha256"] = Sha, ["size"] = 131 } },
        ["dataset"] = new JsonObject { ["name"] = "shapes", ["licence"] = "CC0-1.0" },
    };

    internal static IReadOnlyList<ManifestError> Validate(JsonNode manifest)
    {
        using JsonDocument doc = JsonDocument.Parse(manifest.ToJsonString());
        return ManifestValidator.Validate(doc.RootElement);
    }

    private static ManifestError Single(JsonObject manifest) => Assert.Single(Validate(manifest));

    [Fact]
    public void A_complete_manifest_has_no_errors()
    {
        Assert.Empty(Validate(Valid()));
    }

    [Fact]
    public void Unknown_dtype_names_the_tensor_path()
    {
        JsonObject m = Valid();
        m["inputs"]![1]!["dtype"] = "f16";

        Assert.Equal("$.inputs[1].dtype: unknown dtype 'f16' (one of: bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float16, bfloat16, float32, float64, string)", Single(m).ToString());
    }

    [Fact]
    public void Missing_required_property_is_named_at_its_own_path()
    {
        JsonObject m = Valid();
        m["outputs"]![0]!.AsObject().Remove("shape");

        Assert.Equal("$.outputs[0].shape: required property missing", Single(m).ToString());
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.0.0.0")]
    [InlineData("01.0.0")]
    [InlineData("1.0.0-")]
    [InlineData("v1.0.0")]
    [InlineData("1.0.0\n")]
    public void Version_that_is_not_semver_is_refused(string version)
    {
        JsonObject m = Valid();
        m["version"] = version;

        ManifestError error = Single(m);
        Assert.Equal("$.version", error.Path);
        Assert.StartsWith("'", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not a semantic version", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../evil.onnx")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../b.onnx")]
    [InlineData("a\\b.onnx")]
    [InlineData(".hidden")]
    [InlineData("manifest.sig")]
    [InlineData("a//b")]
    public void File_key_that_could_escape_or_alias_is_refused(string key)
    {
        JsonObject m = Valid();
        m["files"]![key] = new JsonObject { ["sha256"] = Sha, ["size"] = 1 };

        ManifestError error = Single(m);
        Assert.Equal(JsonPathOf(key), error.Path);
        Assert.StartsWith("not a safe relative path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_must_be_one_of_the_listed_files()
    {
        JsonObject m = Valid();
        m["model"] = "other.onnx";

        Assert.Equal("$.model: 'other.onnx' is not listed in $.files", Single(m).ToString());
    }

    [Fact]
    public void Tensor_names_are_unique_per_list()
    {
        JsonObject m = Valid();
        m["inputs"]![1]!["name"] = "pos";

        Assert.Equal("$.inputs[1].name: 'pos' is used twice in $.inputs", Single(m).ToString());
    }

    [Fact]
    public void Shape_dimension_below_minus_one_is_refused()
    {
        JsonObject m = Valid();
        m["inputs"]![0]!["shape"] = new JsonArray(-2, 3);

        Assert.Equal("$.inputs[0].shape[0]: must be >= -1, got -2", Single(m).ToString());
    }

    [Fact]
    public void Unknown_top_level_property_is_refused_and_named()
    {
        JsonObject m = Valid();
        m["notes"] = "x";

        ManifestError error = Single(m);
        Assert.Equal("$.notes", error.Path);
        Assert.StartsWith("unknown property", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mahalanobis_needs_statistics_of_matching_shape()
    {
        JsonObject m = Valid();
        m["ood"] = new JsonObject { ["score"] = "mahalanobis", ["threshold"] = 3.0 };
        Assert.Equal(
            ["$.ood.classMeans: required property missing", "$.ood.precisionFile: required property missing (or the older inline covariance)"],
            Validate(m).Select(e => e.ToString()));

        m["ood"] = JsonNode.Parse("""{"score":"mahalanobis","threshold":3,"classMeans":[[0,1,2]],"covariance":[[1,0],[0,1]]}""");
        Assert.Equal("$.ood.classMeans: every class mean needs 2 numbers, as many as the covariance has rows", Single(m).ToString());

        m["ood"] = JsonNode.Parse("""{"score":"mahalanobis","threshold":3,"classMeans":[[0,1]],"covariance":[[1,0],[0]]}""");
        Assert.Equal("$.ood.covariance: must be square, 2 rows of 2 numbers", Single(m).ToString());
    }

    [Fact]
    public void Precision_file_must_be_a_listed_bundle_file_and_excludes_the_inline_covariance()
    {
        JsonObject m = Valid();
        m["ood"] = JsonNode.Parse("""{"score":"mahalanobis","threshold":3,"classMeans":[[0,1]],"precisionFile":"ood-precision.npy"}""");
        Assert.Equal("$.ood.precisionFile: 'ood-precision.npy' is not listed in $.files", Single(m).ToString());

        m["files"]!["ood-precision.npy"] = new JsonObject { ["sha256"] = new string('a', 64), ["size"] = 8 };
        Assert.Empty(Validate(m));

        m["ood"]!["covariance"] = JsonNode.Parse("[[1,0],[0,1]]");
        Assert.Equal("$.ood.precisionFile: give the matrix either as this file or inline as covariance, not both", Single(m).ToString());

        m["ood"] = JsonNode.Parse("""{"score":"mahalanobis","threshold":3,"classMeans":[[0,1]],"precisionFile":"../p.npy"}""");
        Assert.Contains("$.ood.precisionFile", Validate(m).Select(e => e.Path));
    }

    [Fact]
    public void Created_must_be_utc_and_a_real_date()
    {
        JsonObject m = Valid();
        m["created"] = "2025-06-01T12:00:00+02:00";
        Assert.Equal("$.created", Single(m).Path);

        m["created"] = "2025-02-30T12:00:00Z";
        Assert.Equal("$.created: '2025-02-30T12:00:00Z' is not a real date and time", Single(m).ToString());
    }

    [Fact]
    public void Every_error_is_reported_not_only_the_first()
    {
        JsonObject m = Valid();
        m.Remove("name");
        m["files"]!["model.onnx"]!["size"] = -5;
        m["calibration"] = new JsonObject { ["temperature"] = 0 };

        Assert.Equal(
            ["$.name: required property missing", "$.files['model.onnx'].size: must be >= 0, got -5", "$.calibration.temperature: must be > 0, got 0"],
            Validate(m).Select(e => e.ToString()));
    }

    [Fact]
    public void Root_that_is_not_an_object_is_one_error_at_the_root()
    {
        Assert.Equal("$: expected an object, got an array", Assert.Single(Validate(new JsonArray(1))).ToString());
    }

    private static string JsonPathOf(string key) => $"$.files['{key.Replace("'", "\\'", StringComparison.Ordinal)}']";
}
