#!/usr/bin/python3
"""Per-window reference scores of sensor-stgnn on its shipped test split, for the C# accuracy test.

    nice -n 19 /usr/bin/python3 models/shipped_predictions.py

training-report.json gives per-kind detection rates for the recipe's whole test period only (the shipped split is a
320-window sample, for which it reports just overall detection and false-alarm rate). This script recomputes the
model input of every shipped test window with the recipe's own `encode` and scores it, writing
  models/sensor-stgnn/data/test-predictions.npz   scores float32 [M,22] (the model's logits)
  models/sensor-stgnn/data/test-predictions.json  what they were computed from (model and data SHA-256, engine)
so the test can compare the C# pipeline's per-kind rates with the reference's. The graph is run by the NumPy ONNX
interpreter of verify_exports.py (no ONNX Runtime is packaged for this Python; that interpreter matches PyTorch within
1e-5 on reference.npz), or by PyTorch from model.pt when the recipe left one beside the bundle. Re-run it whenever the
model or the test data change; the test refuses predictions made for another model.
"""
import hashlib
import json
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "training"))
import sensor_stgnn as SS  # noqa: E402
import verify_exports as VE  # noqa: E402


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    d = os.path.join(HERE, "sensor-stgnn")
    spec = json.load(open(os.path.join(d, "manifest-spec.json")))
    sensors = spec["preprocessing"]["sensors"]
    mean = np.array([s["mean"] for s in sensors], np.float32)
    std = np.array([s["std"] for s in sensors], np.float32)
    onnx_path = os.path.join(d, "bundle", "model.onnx")
    data_path = os.path.join(d, "data", "test.npz")
    data = np.load(data_path)
    x = SS.encode(data["raw"], data["start_s"], mean, std)
    pt = os.path.join(d, "model.pt")
    if os.path.exists(pt):
        import torch
        report = json.load(open(os.path.join(d, "training-report.json")))
        model = SS.SensorSTGNN(SS.normalized_adjacency(SS.sensor_edges()), hidden=report.get("hidden", 16))
        model.load_state_dict(torch.load(pt))
        scores = SS.scores_of(model, x)
        engine = "PyTorch (model.pt)"
    else:
        graph = onnx.load(onnx_path)
        scores = np.concatenate([VE.run_onnx(graph, {"x": x[i:i + 64]})[0] for i in range(0, len(x), 64)])
        engine = "NumPy ONNX interpreter (models/training/verify_exports.py run_onnx)"
    np.savez_compressed(os.path.join(d, "data", "test-predictions.npz"), scores=scores.astype(np.float32))
    meta = {"model_sha256": sha256(onnx_path), "data": "data/test.npz", "data_sha256": sha256(data_path),
            "engine": engine, "inputs": "models/training/sensor_stgnn.py encode(raw, start_s, mean, std)",
            "windows": int(len(x))}
    with open(os.path.join(d, "data", "test-predictions.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    thr = np.array([s["threshold"] for s in sensors], np.float32)
    alarm = scores > thr[None, :]
    kind = data["kind"]
    print(engine, {"far": round(float(alarm[kind == 0].mean()), 4), "detection": round(float(alarm[kind > 0].mean()), 4)},
          {k: round(float(alarm[kind == i].mean()), 4) for i, k in enumerate(spec["dataset"]["anomalyKinds"]) if i})
    return 0


if __name__ == "__main__":
    sys.exit(main())
