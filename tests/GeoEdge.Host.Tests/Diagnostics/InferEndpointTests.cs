using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Tests.Diagnostics;

/// <summary>POST /api/v1/infer through the shipped shapes-dgcnn bundle (real ONNX Runtime) behind the gateway port.</summary>
[Trait("Category", "Integration")]
public sealed class InferEndpointTests : IClassFixture<ShapesGateway>
{
    private readonly ShapesGateway _gateway;

    public InferEndpointTests(ShapesGateway gateway)
    {
        _gateway = gateway;
    }

    [Fact]
    public async Task A_pcd_a_ply_and_json_points_of_the_same_cloud_get_the_pipelines_own_answer()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync(_gateway);
        float[] sphere = Sphere(1024);
        CloudClassification expected = _gateway.Pipeline.Classify((float[])sphere.Clone()).Value!;
        Assert.Equal("sphere", expected.LabelName);

        var pcd = new MemoryStream();
        PcdWriter.Write(pcd, new PointCloud((float[])sphere.Clone()), PointCloudEncoding.Binary);
        var ply = new MemoryStream();
        PlyWriter.Write(ply, new PointCloud((float[])sphere.Clone()), PointCloudEncoding.Binary);

        foreach (HttpContent body in new HttpContent[] { Octets(pcd.ToArray()), Octets(ply.ToArray()), DiagnosticsServerTests.Json(PointsJson(sphere)) })
        {
            using HttpResponseMessage response = await h.Client.PostAsync("/api/v1/infer", body);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            using JsonDocument json = JsonDocument.Parse(text);
            JsonElement root = json.RootElement;
            Assert.Equal("shapes-dgcnn", root.GetProperty("model").GetString());
            Assert.Equal(_gateway.Version, root.GetProperty("version").GetString());
            Assert.Equal("sphere", root.GetProperty("labelName").GetString());
            Assert.Equal(expected.Label, root.GetProperty("label").GetInt32());
            Assert.Equal(expected.Confidence, root.GetProperty("confidence").GetDouble());
            Assert.Equal(1024, root.GetProperty("inputPoints").GetInt32());
            Assert.Equal(expected.TopK[1].Name, root.GetProperty("topK")[1].GetProperty("name").GetString());
            Assert.Equal(expected.Ood.Value, root.GetProperty("ood").GetProperty("value").GetDouble());
            Assert.True(root.GetProperty("timingsUs").GetProperty("runUs").GetDouble() > 0);
        }
    }

    [Fact]
    public async Task A_truncated_pcd_is_a_problem_naming_the_body_and_the_service_keeps_answering()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync(_gateway);
        byte[] truncated = [.. Encoding.ASCII.GetBytes("VERSION .7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH 10\nHEIGHT 1\nPOINTS 10\nDATA binary\n"), .. new byte[12]];

        using HttpResponseMessage response = await h.Client.PostAsync("/api/v1/infer", Octets(truncated));

        string detail = await DiagnosticsServerTests.AssertProblem(response, HttpStatusCode.BadRequest, "bad-point-cloud");
        Assert.Contains("request body", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await h.Client.GetAsync("/healthz")).StatusCode);
    }

    [Theory]
    [InlineData("""{"points": [[0,0,0],[1,2]]}""", "points[1] has 2 coordinates, expected 3")]
    [InlineData("""{"points": [[0,0,0],[1,"x",3]]}""", "points[1][1] is a string, expected a number")]
    [InlineData("""{"points": [[0,0,0],""", "malformed JSON")]
    [InlineData("""{"cloud": []}""", "no \"points\" array")]
    [InlineData("""[1,2,3]""", "the body must be an object, found an array")]
    [InlineData("", "the body is empty")]
    public async Task Malformed_json_bodies_are_problems_naming_the_element(string body, string detail)
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync(_gateway);
        using HttpResponseMessage response = await h.Client.PostAsync("/api/v1/infer", DiagnosticsServerTests.Json(body));
        Assert.Contains(detail, await DiagnosticsServerTests.AssertProblem(response, HttpStatusCode.BadRequest, "bad-request-body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cloud_the_guards_refuse_is_422_with_the_reason()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync(_gateway);
        float[] sphere = Sphere(1024);
        sphere[0] = 1000;
        using HttpResponseMessage response = await h.Client.PostAsync("/api/v1/infer", DiagnosticsServerTests.Json(PointsJson(sphere)));
        Assert.StartsWith("OutOfBounds", await DiagnosticsServerTests.AssertProblem(response, HttpStatusCode.UnprocessableEntity, "rejected"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync(_gateway, maxBodyBytes: 4096);
        using HttpResponseMessage response = await h.Client.PostAsync("/api/v1/infer", DiagnosticsServerTests.Json(PointsJson(Sphere(1024))));
        Assert.Contains("4096 bytes", await DiagnosticsServerTests.AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "body-too-large"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await h.Client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Without_an_active_point_cloud_model_infer_is_a_conflict()
    {
        await using DiagnosticsHarness h = await DiagnosticsHarness.StartAsync();
        using HttpResponseMessage response = await h.Client.PostAsync("/api/v1/infer", DiagnosticsServerTests.Json(PointsJson(Sphere(8))));
        await DiagnosticsServerTests.AssertProblem(response, HttpStatusCode.Conflict, "no-active-model");
    }

    /// <summary>A Fibonacci sphere of radius 2: evenly spread points, the same on every run.</summary>
    internal static float[] Sphere(int n)
    {
        float[] xyz = new float[n * 3];
        double golden = Math.PI * (3 - Math.Sqrt(5));
        for (int i = 0; i < n; i++)
        {
            double y = 1 - (2.0 * (i + 0.5) / n);
            double r = Math.Sqrt(1 - (y * y));
            xyz[(3 * i) + 0] = (float)(2 * r * Math.Cos(golden * i));
            xyz[(3 * i) + 1] = (float)(2 * y);
            xyz[(3 * i) + 2] = (float)(2 * r * Math.Sin(golden * i));
        }

        return xyz;
    }

    internal static string PointsJson(float[] xyz)
    {
        var sb = new StringBuilder("{\"points\": [");
        for (int i = 0; i < xyz.Length; i += 3)
        {
            sb.Append(i == 0 ? "[" : ",[").Append(string.Join(',', xyz[i].ToString("R", CultureInfo.InvariantCulture), xyz[i + 1].ToString("R", CultureInfo.InvariantCulture), xyz[i + 2].ToString("R", CultureInfo.InvariantCulture))).Append(']');
        }

        return sb.Append("]}").ToString();
    }

    private static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
