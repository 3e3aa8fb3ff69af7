using System.Text;
using System.Text.Json;
using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Cli;

/// <summary>The JSON form of `geoedge-model inspect --json`, written field by field (no reflection, AOT-safe).</summary>
/// <remarks>Dimensions are numbers when fixed, strings when symbolic and null when unknown; the default domain is "".</remarks>
internal static class InspectJson
{
    public static string Write(OnnxModel model, OnnxModelSummary s)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            ModelProto p = model.Proto;
            w.WriteStartObject();
            w.WriteString("model", model.Source);
            w.WriteNumber("ir_version", p.IrVersion);
            w.WriteString("producer_name", p.ProducerName);
            w.WriteString("producer_version", p.ProducerVersion);
            w.WriteStartArray("opset_imports");
            foreach (OperatorSetIdProto opset in s.OpsetImports)
            {
                w.WriteStartObject();
                w.WriteString("domain", opset.Domain);
                w.WriteNumber("version", opset.Version);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteValues(w, "inputs", s.Inputs);
            WriteValues(w, "outputs", s.Outputs);
            w.WriteStartArray("operators");
            foreach (OperatorCount op in s.Operators)
            {
                w.WriteStartObject();
                w.WriteString("domain", op.Domain);
                w.WriteString("op_type", op.OpType);
                w.WriteNumber("count", op.Count);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("node_count", s.NodeCount);
            w.WriteNumber("initializer_count", s.InitializerCount);
            w.WriteNumber("parameter_count", s.ParameterCount);
            w.WriteNumber("model_bytes", model.FileBytes);
            w.WriteNumber("external_data_bytes", model.ExternalDataBytes);
            w.WriteStartArray("external_data_files");
            foreach (string file in model.ExternalDataFiles)
            {
                w.WriteStringValue(file);
            }

            w.WriteEndArray();
            w.WriteNumber("size_bytes", model.FileBytes + model.ExternalDataBytes);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValues(Utf8JsonWriter w, string name, IReadOnlyList<OnnxValue> values)
    {
        w.WriteStartArray(name);
        foreach (OnnxValue v in values)
        {
            w.WriteStartObject();
            w.WriteString("name", v.Name);
            w.WriteString("dtype", v.TypeName);
            if (v.Shape is null)
            {
                w.WriteNull("shape");
            }
            else
            {
                w.WriteStartArray("shape");
                foreach (OnnxDimension d in v.Shape)
                {
                    if (d.Value is long value)
                    {
                        w.WriteNumberValue(value);
                    }
                    else if (d.Param is string param)
                    {
                        w.WriteStringValue(param);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
