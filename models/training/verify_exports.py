#!/usr/bin/python3
"""Checks the shipped ONNX models without ONNX Runtime (none is packaged for this Python).

    nice -n 19 env OMP_NUM_THREADS=1 /usr/bin/python3 models/training/verify_exports.py

For each model directory under models/ it
  1. runs onnx.checker (full_check) and strict shape inference, prints the operator histogram;
  2. executes the graph with a small NumPy interpreter of the ONNX operators it uses (independent of
     the PyTorch exporter) on reference.npz and compares with the stored PyTorch outputs, at batch
     size 8 and 1 (dynamic batch axis), recording every intermediate shape;
  3. re-runs the PyTorch model from model.pt (state_dict) on the same inputs;
  4. recomputes the model inputs from the raw data in reference.npz (the runtime's preprocessing);
  5. checks the data files against the sha256 in manifest-spec.json, and the size of models/.
Writes models/verification.json; exits non-zero when a check fails.
"""
import hashlib
import json
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper, shape_inference

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

ONNX_DTYPES = {1: np.float32, 6: np.int32, 7: np.int64, 9: np.bool_, 11: np.float64}


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def run_onnx(model, feeds, trace=None):
    """Minimal ONNX interpreter for the operators our exports use (opset 17)."""
    env = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    env.update(feeds)
    for node in model.graph.node:
        a = attrs(node)
        x = [env[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Constant":
            y = numpy_helper.to_array(a["value"])
        elif op == "Shape":
            y = np.array(x[0].shape, np.int64)
        elif op == "Gather":
            y = np.take(x[0], x[1], axis=a.get("axis", 0))
        elif op == "Cast":
            y = x[0].astype(ONNX_DTYPES[a["to"]])
        elif op == "Range":
            y = np.arange(x[0], x[1], x[2], dtype=x[0].dtype)
        elif op == "Reshape":
            shape = [x[0].shape[i] if (s == 0 and not a.get("allowzero", 0)) else s for i, s in enumerate(x[1])]
            y = x[0].reshape(shape)
        elif op in ("Add", "Sub", "Mul", "Equal", "MatMul"):
            f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Equal": np.equal, "MatMul": np.matmul}[op]
            y = f(x[0], x[1])
        elif op == "Abs":
            y = np.abs(x[0])
        elif op == "Relu":
            y = np.maximum(x[0], np.float32(0))
        elif op == "LeakyRelu":
            alpha = np.float32(a.get("alpha", 0.01))
            y = np.where(x[0] >= 0, x[0], x[0] * alpha)
        elif op == "Transpose":
            y = np.transpose(x[0], a["perm"])
        elif op == "Unsqueeze":
            y = x[0]
            for ax in sorted(int(v) for v in x[1]):
                y = np.expand_dims(y, ax if ax >= 0 else ax + y.ndim + 1)
        elif op == "Squeeze":
            y = np.squeeze(x[0], axis=tuple(int(v) for v in x[1])) if len(x) > 1 and x[1] is not None else np.squeeze(x[0])
        elif op == "Concat":
            y = np.concatenate(x, axis=a["axis"])
        elif op in ("ReduceMax", "ReduceMean"):
            f = np.max if op == "ReduceMax" else np.mean
            y = f(x[0], axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1))).astype(x[0].dtype)
        elif op == "BatchNormalization":
            shp = (1, -1) + (1,) * (x[0].ndim - 2)
            scale, bias, mean, var = (v.reshape(shp) for v in x[1:5])
            y = ((x[0] - mean) / np.sqrt(var + np.float32(a.get("epsilon", 1e-5))) * scale + bias).astype(np.float32)
        elif op == "Gemm":
            A = x[0].T if a.get("transA", 0) else x[0]
            B = x[1].T if a.get("transB", 0) else x[1]
            y = np.float32(a.get("alpha", 1.0)) * (A @ B)
            if len(x) > 2 and x[2] is not None:
                y = y + np.float32(a.get("beta", 1.0)) * x[2]
        elif op == "Conv":
            nd = x[0].ndim - 2
            pads = a.get("pads", [0] * 2 * nd)
            assert pads[:nd] == pads[nd:], "asymmetric padding"
            conv = F.conv1d if nd == 1 else F.conv2d
            y = conv(torch.from_numpy(np.array(x[0])), torch.from_numpy(np.array(x[1])),
                     None if len(x) < 3 or x[2] is None else torch.from_numpy(np.array(x[2])),
                     stride=tuple(a.get("strides", [1] * nd)), padding=tuple(pads[:nd]),
                     dilation=tuple(a.get("dilations", [1] * nd)), groups=a.get("group", 1)).numpy()
        elif op == "ConstantOfShape":
            v = numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
            y = np.full(tuple(int(s) for s in x[0]), v.reshape(-1)[0], dtype=v.dtype)
        elif op == "Pad":
            assert a.get("mode", b"constant") in (b"constant", "constant")
            p = [int(v) for v in x[1]]
            n = x[0].ndim
            cval = x[2].reshape(-1)[0] if len(x) > 2 and x[2] is not None and x[2].size else 0
            y = np.pad(x[0], [(p[i], p[i + n]) for i in range(n)], constant_values=cval)
        elif op == "Slice":
            starts, ends = x[1], x[2]
            axes = x[3] if len(x) > 3 and x[3] is not None else np.arange(len(starts))
            steps = x[4] if len(x) > 4 and x[4] is not None else np.ones(len(starts), np.int64)
            sl = [slice(None)] * x[0].ndim
            for s, e, ax, st in zip(starts, ends, axes, steps):
                dim = x[0].shape[ax]
                s = int(s) + dim if s < 0 else int(s)
                e = int(e) + dim if e < 0 else int(e)
                if st > 0:
                    sl[int(ax)] = slice(int(np.clip(s, 0, dim)), int(np.clip(e, 0, dim)), int(st))
                else:  # ONNX: start clamped to [0, dim-1], end to [-1, dim-1]; -1 = before the first element
                    e = int(np.clip(e, -1, dim - 1))
                    sl[int(ax)] = slice(int(np.clip(s, 0, dim - 1)), None if e < 0 else e, int(st))
            y = x[0][tuple(sl)]
        else:
            raise NotImplementedError(op)
        env[node.output[0]] = y
        if trace is not None:
            trace.append((op, tuple(np.shape(y))))
    return [env[o.name] for o in model.graph.output]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def op_histogram(model):
    hist = {}
    for n in model.graph.node:
        hist[n.op_type] = hist.get(n.op_type, 0) + 1
    return dict(sorted(hist.items()))


def check_model_dir(name, input_names, output_names, torch_model_fn, preprocess_fn, tol):
    d = os.path.join(MODELS, name)
    res = {"name": name, "ok": True, "problems": []}

    def fail(msg):
        res["ok"] = False
        res["problems"].append(msg)

    model = onnx.load(os.path.join(d, "model.onnx"))
    onnx.checker.check_model(model, full_check=True)
    shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    res["opset"] = [o.version for o in model.opset_import]
    res["op_histogram"] = op_histogram(model)
    res["inputs"] = [{"name": i.name, "elem_type": i.type.tensor_type.elem_type,
                      "shape": [s.dim_param or s.dim_value for s in i.type.tensor_type.shape.dim]}
                     for i in model.graph.input]
    res["outputs"] = [{"name": o.name, "elem_type": o.type.tensor_type.elem_type,
                       "shape": [s.dim_param or s.dim_value for s in o.type.tensor_type.shape.dim]}
                      for o in model.graph.output]
    if [i["name"] for i in res["inputs"]] != input_names or [o["name"] for o in res["outputs"]] != output_names:
        fail(f"io names {res['inputs']} {res['outputs']}")

    ref = dict(np.load(os.path.join(d, "reference.npz")))
    feeds = {n: ref[n] for n in input_names}
    trace = []
    outs = run_onnx(model, feeds, trace)
    diffs = {}
    for n, o in zip(output_names, outs):
        diffs[n] = float(np.abs(o - ref[n]).max())
        if not diffs[n] <= tol:
            fail(f"ONNX {n} differs from PyTorch by {diffs[n]}")
    res["onnx_vs_pytorch_max_abs_diff_batch8"] = diffs
    one = run_onnx(model, {n: v[:1] for n, v in feeds.items()})
    res["onnx_batch1_vs_batch8_max_abs_diff"] = max(float(np.abs(o - b[:1]).max()) for o, b in zip(one, outs))
    if res["onnx_batch1_vs_batch8_max_abs_diff"] > tol:
        fail("batch 1 differs from batch 8")
    b = len(next(iter(feeds.values())))
    # every large tensor scales with the batch (leading dim B or B*N), so divide the batch-8 maximum by 8
    res["largest_intermediate_elements_per_sample"] = max(int(np.prod(s)) for _, s in trace) // b
    res["intermediate_shapes"] = sorted({str(list(s)) for _, s in trace if len(s) >= 2},
                                        key=lambda t: -np.prod(json.loads(t)))[:5]

    if torch_model_fn is not None and os.path.exists(os.path.join(d, "model.pt")):
        m = torch_model_fn()
        m.load_state_dict(torch.load(os.path.join(d, "model.pt")))
        m.eval()
        with torch.no_grad():
            tout = m(*[torch.from_numpy(feeds[n]) for n in input_names])
        tout = tout if isinstance(tout, tuple) else (tout,)
        res["pytorch_rerun_max_abs_diff"] = max(float(np.abs(t.numpy() - ref[n]).max())
                                                for t, n in zip(tout, output_names))
        if res["pytorch_rerun_max_abs_diff"] > 1e-5:
            fail("PyTorch re-run differs from reference")
    else:
        res["pytorch_rerun_max_abs_diff"] = None

    res["preprocessing_from_raw"] = preprocess_fn(ref)
    if not res["preprocessing_from_raw"]["ok"]:
        fail("preprocessing from raw does not reproduce the model inputs")

    spec = json.load(open(os.path.join(d, "manifest-spec.json")))
    for rel, info in spec["dataset"]["files"].items():
        if sha256(os.path.join(d, rel)) != info["sha256"]:
            fail(f"sha256 mismatch {rel}")
    res["data_files"] = {rel: {k: (list(v.shape), str(v.dtype)) for k, v in np.load(os.path.join(d, rel)).items()}
                         for rel in spec["dataset"]["files"]}
    return res, model, trace


def main():
    import sensor_stgnn as SS
    import shapes_dgcnn as SD

    def shapes_pre(ref):
        pos = SD.normalize_scale(torch.from_numpy(ref["raw_pos"])).numpy()
        knn = np.stack([SD.knn_bruteforce(p) for p in pos])
        return {"ok": bool(np.array_equal(pos, ref["pos"]) and np.array_equal(knn, ref["knn"])),
                "pos_max_abs_diff": float(np.abs(pos - ref["pos"]).max()),
                "knn_equal": bool(np.array_equal(knn, ref["knn"]))}

    spec_s = json.load(open(os.path.join(MODELS, "sensor-stgnn", "manifest-spec.json")))
    mean = np.array(spec_s["normalization"]["mean"], np.float32)
    std = np.array(spec_s["normalization"]["std"], np.float32)

    def sensor_pre(ref):
        x = SS.encode(ref["raw"], ref["start_s"], mean, std)
        return {"ok": bool(np.array_equal(x, ref["x"])), "x_max_abs_diff": float(np.abs(x - ref["x"]).max()),
                "mask_equal": bool(np.array_equal(np.isnan(ref["raw"]), ref["mask"].astype(bool)))}

    def sensor_model():
        return SS.SensorSTGNN(SS.normalized_adjacency(SS.sensor_edges()),
                              hidden=json.load(open(os.path.join(MODELS, "sensor-stgnn", "training-report.json")))
                              .get("hidden", 16))

    results = []
    r, model, trace = check_model_dir("shapes-dgcnn", ["pos", "knn"], ["logits", "embedding"], SD.ShapesDGCNN,
                                      shapes_pre, 1e-3)
    forbidden = sorted(set(r["op_histogram"]) & {"ScatterElements", "ScatterND", "Scatter", "TopK", "Einsum",
                                                 "NonZero", "Loop"})
    n = 1024
    nn_shapes = [s for _, s in trace if sum(1 for v in s if v >= n) >= 2]
    r["forbidden_ops"] = forbidden
    r["tensors_with_two_dims_ge_N"] = [list(s) for s in nn_shapes]
    if forbidden or nn_shapes:
        r["ok"] = False
        r["problems"].append("scatter/top-k op or an N x N intermediate in shapes-dgcnn")
    results.append(r)
    r, _, _ = check_model_dir("sensor-stgnn", ["x"], ["scores"], sensor_model, sensor_pre, 1e-3)
    results.append(r)

    total = 0
    for root, _, files in os.walk(MODELS):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    summary = {"models": results, "models_dir_bytes": total, "ok": all(r["ok"] for r in results) and total < 15e6}
    with open(os.path.join(MODELS, "verification.json"), "w") as f:
        json.dump(summary, f, indent=2)
    for r in results:
        print(f"== {r['name']}: {'OK' if r['ok'] else 'FAIL ' + '; '.join(r['problems'])}")
        print("   inputs ", r["inputs"])
        print("   outputs", r["outputs"])
        print("   ops    ", r["op_histogram"])
        print("   ONNX (numpy interpreter) vs PyTorch:", r["onnx_vs_pytorch_max_abs_diff_batch8"],
              "| batch1 vs batch8:", r["onnx_batch1_vs_batch8_max_abs_diff"],
              "| PyTorch re-run:", r["pytorch_rerun_max_abs_diff"])
        print("   preprocessing from raw:", r["preprocessing_from_raw"])
        print("   largest intermediate per sample:", r["largest_intermediate_elements_per_sample"],
              "top shapes:", r["intermediate_shapes"])
    print(f"models/ total {total / 1e6:.2f} MB; overall {'OK' if summary['ok'] else 'FAIL'}")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
