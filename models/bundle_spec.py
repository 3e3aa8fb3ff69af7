#!/usr/bin/python3
"""Turns a recipe's manifest-spec.json into a bundle manifest spec (models/README.md, "Manifest spec").

    /usr/bin/python3 models/bundle_spec.py models/shapes-dgcnn/manifest-spec.json [...]

The training recipes (models/training/*.py) write manifest-spec.json in their own format, which predates
the bundle format: top-level keys such as model_file, opset, window, encoding, sensors, graph, and tensor
descriptions that the bundle schema's closed top level and tensor objects refuse. This script rewrites
such a file IN PLACE as a valid spec, keeping every fact:

  model_file, opset             -> extensions.export          (pack writes `model` itself)
  tensor description/layout     -> extensions.tensors.<name>; sensor channels -> preprocessing.features
  preprocessing *_details, knn distance/order -> preprocessing (camelCase); knn keeps {k, loop}
  window                        -> preprocessing.window/stride/sampleRateHz + samplingPeriodS
  encoding, sensors, normalization, thresholds -> preprocessing (the runtime reads them there)
  graph, reference              -> extensions (the graph is a constant inside the model)
  anomaly_kinds(+details)       -> dataset
  dataset.files {f: {sha256, bytes}} -> dataset.files {f: sha256} + dataset.fileBytes {f: bytes}
  training (+ recipe)           -> training

and adds what the runtime's guards need, derived from the shipped data:
  point clouds: preprocessing.bounds (1.5 x the largest |coordinate| of the shipped validation and test
  clouds, rounded up) and preprocessing.guards (sensor guards use the recipe's sensors[].range).

Run it after a recipe has rewritten manifest-spec.json (models/pack-shipped.sh does). A file that is
already a bundle spec (no model_file key) is left unchanged.
"""
import json
import math
import os
import sys

import numpy as np


def camel(key):
    head, *rest = key.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def camel_keys(obj):
    """camelCase every key of a nested JSON structure (only used on sections whose keys are field names)."""
    if isinstance(obj, dict):
        return {camel(k): camel_keys(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [camel_keys(v) for v in obj]
    return obj


def split_tensors(tensors, notes):
    out = []
    for t in tensors:
        out.append({"name": t["name"], "dtype": t["dtype"], "shape": t["shape"]})
        extra = {camel(k): v for k, v in t.items() if k not in ("name", "dtype", "shape")}
        if extra:
            notes[t["name"]] = extra
    return out


def dataset_card(ds, moved):
    card = {}
    for k, v in ds.items():
        if k == "files":
            card["files"] = {f: info["sha256"] for f, info in v.items()}
            card["fileBytes"] = {f: info["bytes"] for f, info in v.items()}
        elif k in ("sizes", "days", "npz_arrays"):
            card[camel(k)] = v  # keys are split or array names, kept as written
        else:
            card[camel(k)] = camel_keys(v)
    card.update(moved)
    return card


def shapes_bounds(directory):
    largest = 0.0
    for split in ("validation", "test"):
        pos = np.load(os.path.join(directory, "data", f"{split}.npz"))["pos"]
        largest = max(largest, float(np.abs(pos).max()))
    limit = float(math.ceil(1.5 * largest))
    return {"min": [-limit] * 3, "max": [limit] * 3,
            "rule": f"1.5 x the largest |coordinate| of the shipped validation and test clouds ({largest:.2f}), rounded up"}


def convert(spec, directory):
    notes = {}
    out = {"name": spec["name"], "version": spec["version"], "task": spec["task"],
           "inputs": split_tensors(spec["inputs"], notes), "outputs": split_tensors(spec["outputs"], notes)}
    pre = {}
    extensions = {"export": {"modelFile": spec["model_file"], "opset": spec["opset"]}}
    moved_to_dataset = {}
    if spec["task"] == "point-cloud-classification":
        p = spec["preprocessing"]
        knn = p["knn"]
        pre = {"points": p["points"], "sampling": p["sampling"], "normalize": p["normalize"],
               "knn": {"k": knn["k"], "loop": knn["loop"]}}
        for k, v in p.items():
            if k not in pre:
                pre[camel(k)] = v
        pre["knnDetails"] = {k: v for k, v in knn.items() if k not in ("k", "loop")}
        pre["samplingStart"] = 0
        pre["bounds"] = shapes_bounds(directory)
        pre["guards"] = {"maxNonFiniteFraction": 0.05, "maxDuplicateFraction": 0.5, "allowRepeat": False}
    elif spec["task"] == "sensor-graph-anomaly":
        x = spec["inputs"][0]
        w = spec["window"]
        pre = {"window": w["length"], "stride": w["stride_used_in_evaluation"],
               "sampleRateHz": 1.0 / w["sampling_period_s"], "samplingPeriodS": w["sampling_period_s"],
               "strideNote": "stride is the one used in evaluation; a device may score every new sample",
               "features": x["channels"], "layout": x["layout"]}
        notes[x["name"]].pop("channels")
        notes[x["name"]].pop("layout")
        if not notes[x["name"]]:
            del notes[x["name"]]
        pre["encoding"] = camel_keys(spec["encoding"])
        sensors = spec["sensors"]
        norm, thr = spec["normalization"], spec["thresholds"]
        # The recipe repeats mean/std/threshold per sensor and as arrays; keep one copy, after checking they agree.
        for i, s in enumerate(sensors):
            assert s["index"] == i and s["mean"] == norm["mean"][i] and s["std"] == norm["std"][i] \
                and s["threshold"] == thr["values"][i], f"sensor {s['name']}: repeated statistics disagree"
        pre["sensors"] = sensors
        pre["normalization"] = {camel(k): v for k, v in norm.items() if k not in ("mean", "std")}
        pre["thresholds"] = {camel(k): v for k, v in thr.items() if k != "values"}
        extensions["graph"] = camel_keys({k: v for k, v in spec["graph"].items() if k != "space_adjacency"})
        extensions["graph"]["spaceAdjacency"] = spec["graph"]["space_adjacency"]
        moved_to_dataset = {"anomalyKinds": spec["anomaly_kinds"], "anomalyKindDetails": spec["anomaly_kind_details"]}
    else:
        raise SystemExit(f"unknown task {spec['task']}")
    out["preprocessing"] = pre
    if "labels" in spec:
        out["labels"] = spec["labels"]
    out["dataset"] = dataset_card(spec["dataset"], moved_to_dataset)
    training = camel_keys(spec["training"])
    training["recipe"] = spec["dataset"]["generator"]
    out["training"] = training
    if notes:
        extensions["tensors"] = notes
    extensions["reference"] = spec["reference"]
    out["extensions"] = extensions
    known = {"name", "version", "task", "model_file", "opset", "inputs", "outputs", "preprocessing", "labels",
             "dataset", "training", "reference", "window", "encoding", "sensors", "graph", "normalization",
             "thresholds", "anomaly_kinds", "anomaly_kind_details"}
    unknown = sorted(set(spec) - known)
    if unknown:
        raise SystemExit(f"recipe spec has fields this converter does not place: {unknown}")
    return out


def main(paths):
    for path in paths:
        with open(path) as f:
            spec = json.load(f)
        if "model_file" not in spec:
            print(f"{path}: already a bundle spec")
            continue
        out = convert(spec, os.path.dirname(os.path.abspath(path)))
        with open(path, "w") as f:
            json.dump(out, f, indent=2)
            f.write("\n")
        print(f"{path}: converted")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
