using System.Text.Json.Serialization;

namespace GeoEdge.Host.Events;

/// <summary>What a <see cref="DeviceEvent"/> reports; serialized in lower case (dashboards and log readers filter on it).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeviceEventKind>))]
public enum DeviceEventKind
{
    [JsonStringEnumMemberName("classification")]
    Classification,

    [JsonStringEnumMemberName("anomaly")]
    Anomaly,

    [JsonStringEnumMemberName("rejection")]
    Rejection,

    [JsonStringEnumMemberName("ood")]
    Ood,

    [JsonStringEnumMemberName("activation")]
    Activation,

    [JsonStringEnumMemberName("rollback")]
    Rollback,

    [JsonStringEnumMemberName("error")]
    Error,

    /// <summary>A pipeline's running input drift score reached the configured threshold (the detail names the score and the leading feature).</summary>
    [JsonStringEnumMemberName("drift")]
    Drift,

    /// <summary>An inference threw (ONNX Runtime or the pipeline); rate limited, Detail counts the errors it stands for.</summary>
    [JsonStringEnumMemberName("inference_error")]
    InferenceError,
}
