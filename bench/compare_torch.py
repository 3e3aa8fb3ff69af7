#!/usr/bin/python3
"""End-to-end latency of the shipped models in PyTorch 1.13 eager and in GeoEdge: same weights, same raw inputs, same run.

    dotnet build bench/GeoEdge.Benchmarks -c Release -nologo -v q
    /usr/bin/python3 bench/compare_torch.py [--samples 50] [--passes 5] [--threads 1,2]

PyTorch side: the recipes' model classes (models/training/*.py) with models/<name>/model.pt, eval + no_grad,
torch.set_num_threads(t); preprocessing in torch from the raw input: shapes = farthest-point sampling to 1024
from index 0 (skipped for a cloud of exactly 1024 points, as the contract and the C# pipeline do), NormalizeScale,
kNN k=16 self excluded with torch.cdist + topk; sensor = the recipe's encode() (numpy) + the model.
GeoEdge side: `GeoEdge.Benchmarks pipeline serve models T` (bench/GeoEdge.Benchmarks/Comparison/PipelineTimer.cs),
PointCloudClassification.Classify(raw xyz) and SensorGraphAnomaly.ScoreWindow(raw, start), IntraOpThreads = T,
MaxConcurrency = 1, preprocessing threads = T. Both sides time one request in-process (batch 1).

Inputs: the first --samples clouds / windows of models/<name>/data/test.npz (the shipped clouds have exactly 1024
points, so FPS does not run), plus a second shapes set of --samples raw 2,048-point clouds made by the recipe's
raw_cloud() (seed 99; the clouds it did not occlude), where both sides run FPS 1,024 of 2,048. Each sample runs
once on each side per pass, interleaved (PyTorch, GeoEdge, next sample), after a warm-up pass, so load from other
processes hits both alike; --gap-ms (20) pauses after every request, because with 2 threads on 2 cores the
other side's still-spinning pool (ORT's intra-op threads, OpenMP's) otherwise slows the next request badly
(PyTorch sensor p50 290 ms instead of ~6 ms in a first run without it). Reports p50/p99 per side, PyTorch p50 / GeoEdge p50, GeoEdge p99/p50, load time, RSS
and agreement: shapes = same predicted label; sensor = same per-sensor alarm (score > the manifest threshold).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")  # the recipes default it to 1, which would cap set_num_threads

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "models")
DATA = os.path.join(ROOT, "bench", "data")
HARNESS = os.path.join(ROOT, "bench", "GeoEdge.Benchmarks", "bin", "Release", "net10.0", "GeoEdge.Benchmarks.dll")
sys.path.insert(0, os.path.join(MODELS, "training"))
import sensor_stgnn as SS  # noqa: E402
import shapes_dgcnn as SD  # noqa: E402

POINTS, K = SD.NUM_POINTS, SD.K


def rss_kb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def fps_torch(pos, m):
    """Farthest-point sampling from index 0 in torch (float32 squared distances, argmax ties -> lowest index)."""
    n = pos.shape[0]
    dist = torch.full((n,), float("inf"))
    out = torch.empty(m, dtype=torch.long)
    cur = 0
    for j in range(m):
        out[j] = cur
        d = ((pos - pos[cur]) ** 2).sum(1)
        dist = torch.minimum(dist, d)
        cur = int(dist.argmax())
    return pos[out]


def shapes_torch(model, raw):
    """Raw float32 [N,3] -> predicted label, end to end in torch."""
    pos = torch.from_numpy(raw)
    if pos.shape[0] != POINTS:
        pos = fps_torch(pos, POINTS)
    pos = SD.normalize_scale(pos)
    d = torch.cdist(pos, pos)
    d.fill_diagonal_(float("inf"))
    knn = d.topk(K, dim=1, largest=False).indices
    logits, _ = model(pos[None], knn[None])
    return int(logits[0].argmax())


def load_torch():
    t = time.perf_counter()
    shapes = SD.ShapesDGCNN()
    shapes.load_state_dict(torch.load(os.path.join(MODELS, "shapes-dgcnn", "model.pt")))
    shapes.eval()
    shapes_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    hidden = json.load(open(os.path.join(MODELS, "sensor-stgnn", "training-report.json"))).get("hidden", 16)
    sensor = SS.SensorSTGNN(SS.normalized_adjacency(SS.sensor_edges()), hidden=hidden)
    sensor.load_state_dict(torch.load(os.path.join(MODELS, "sensor-stgnn", "model.pt")))
    sensor.eval()
    sensor_ms = (time.perf_counter() - t) * 1000
    return shapes, sensor, shapes_ms, sensor_ms


def raw_2048(count, seed=99):
    """Raw clouds of exactly 2,048 points from the recipe's generator (the ones it did not occlude)."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        name = SD.CLASSES[len(out) % len(SD.CLASSES)]
        c = SD.raw_cloud(name, rng).astype(np.float32)
        if len(c) == SD.RAW_POINTS:
            out.append(c)
    return np.stack(out)


class GeoEdge:
    def __init__(self, threads):
        self.proc = subprocess.Popen(["dotnet", HARNESS, "pipeline", "serve", MODELS, str(threads)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        words = self.proc.stdout.readline().split()
        self.shapes_ms, self.sensor_ms, self.rss_kb = float(words[1]), float(words[2]), int(words[3])

    def ask(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().split()
        if not answer:
            raise RuntimeError(f"GeoEdge harness died on '{line}'")
        return answer

    def close(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.wait()


def pct(v, q):
    return float(np.percentile(np.asarray(v), q))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=50)
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--gap-ms", type=float, default=20.0,
                    help="pause after every request so the other side's spinning thread pool (ORT, OpenMP) has gone idle")
    args = ap.parse_args()
    if not os.path.exists(HARNESS):
        raise SystemExit(f"missing {HARNESS}: run 'dotnet build bench/GeoEdge.Benchmarks -c Release'")
    os.makedirs(DATA, exist_ok=True)
    n = args.samples
    gap = args.gap_ms / 1e3

    torch.set_num_threads(1)
    shapes_model, sensor_model, t_shapes_ms, t_sensor_ms = load_torch()
    torch_rss_loaded = rss_kb()

    spec = json.load(open(os.path.join(MODELS, "sensor-stgnn", "manifest-spec.json")))
    sensors = spec["preprocessing"]["sensors"]
    mean = np.array([s["mean"] for s in sensors], np.float32)
    std = np.array([s["std"] for s in sensors], np.float32)
    thresholds = np.array([s["threshold"] for s in sensors], np.float32)

    test = np.load(os.path.join(MODELS, "shapes-dgcnn", "data", "test.npz"))
    sets = {"shapes test (1,024 pts)": np.ascontiguousarray(test["pos"][:n]), "shapes raw (2,048 pts, FPS)": raw_2048(n)}
    st = np.load(os.path.join(MODELS, "sensor-stgnn", "data", "test.npz"))
    windows, starts = np.ascontiguousarray(st["raw"][:n]), st["start_s"][:n]
    paths = {}
    for name, arr in sets.items():
        paths[name] = os.path.join(DATA, f"torch_{'raw' if 'raw' in name else 'test'}.npy")
        np.save(paths[name], arr)
    np.save(os.path.join(DATA, "torch_windows.npy"), windows)

    def sensor_torch(i):
        x = SS.encode(windows[i:i + 1], starts[i:i + 1], mean, std)
        return sensor_model(torch.from_numpy(x))[0].numpy() > thresholds

    rows, geo_info = [], {}
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        ge = GeoEdge(threads)
        geo_info[threads] = (ge.shapes_ms, ge.sensor_ms, ge.rss_kb)
        cases = []
        for name, arr in sets.items():
            cases.append((name, f"clouds {paths[name]}", lambda i, a=arr: shapes_torch(shapes_model, a[i]),
                          lambda i: ge.ask(f"classify {i}"), lambda g: int(g[1])))
        cases.append(("sensor window (22x64)", f"windows {os.path.join(DATA, 'torch_windows.npy')}", sensor_torch, lambda i: ge.ask(f"score {i} {int(starts[i])}"),
                      lambda g: np.array([float(v) for v in g[1].split(",")], np.float32) > thresholds))
        with torch.no_grad():
            for name, setup, t_fn, g_fn, g_pred in cases:
                ge.ask(setup)  # the harness holds one set of clouds and one of windows at a time
                for i in range(n):  # warm-up pass
                    t_fn(i)
                    g_fn(i)
                tt, gt, agree = [], [], []
                for _ in range(args.passes):
                    for i in range(n):
                        t0 = time.perf_counter()
                        tp = t_fn(i)
                        tt.append((time.perf_counter() - t0) * 1e3)
                        time.sleep(gap)
                        g = g_fn(i)
                        time.sleep(gap)
                        gt.append(float(g[0]) / 1e3)
                        agree.append(bool(np.all(np.asarray(tp) == g_pred(g))))
                row = {"case": name, "threads": threads, "torch_p50": pct(tt, 50), "torch_p99": pct(tt, 99),
                       "geo_p50": pct(gt, 50), "geo_p99": pct(gt, 99), "agreement": float(np.mean(agree[:n])),
                       "runs": len(tt)}
                row["speedup"] = row["torch_p50"] / row["geo_p50"]
                row["geo_tail"] = row["geo_p99"] / row["geo_p50"]
                rows.append(row)
                print(f"{name:28s} t={threads}  torch p50 {row['torch_p50']:8.2f} p99 {row['torch_p99']:8.2f} ms | "
                      f"GeoEdge p50 {row['geo_p50']:7.2f} p99 {row['geo_p99']:7.2f} ms | {row['speedup']:5.2f}x, "
                      f"GeoEdge p99/p50 {row['geo_tail']:4.2f} | agree {row['agreement']:.1%}", flush=True)
        geo_info[threads] += (int(ge.ask("rss")[0]),)
        ge.close()

    load = os.getloadavg()
    print(f"\nload: PyTorch construct + load_state_dict shapes {t_shapes_ms:.1f} ms, sensor {t_sensor_ms:.1f} ms; "
          + "; ".join(f"GeoEdge (t={t}) open + session load incl. warm-up shapes {v[0]:.1f} ms, sensor {v[1]:.1f} ms"
                      for t, v in geo_info.items()))
    print(f"RSS with both models loaded: PyTorch process {torch_rss_loaded / 1024:.0f} MiB (after the runs "
          f"{rss_kb() / 1024:.0f} MiB); " + "; ".join(f"GeoEdge harness (t={t}) {v[2] / 1024:.0f} MiB (after the runs "
                                                    f"{v[3] / 1024:.0f} MiB)" for t, v in geo_info.items()))
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; torch {torch.__version__}, numpy {np.__version__}; "
          f"{args.samples} samples x {args.passes} passes interleaved after one warm-up pass, {args.gap_ms:g} ms gap")
    with open(os.path.join(DATA, "compare_torch.json"), "w") as f:
        json.dump({"rows": rows, "torch_load_ms": [t_shapes_ms, t_sensor_ms], "torch_rss_kb": torch_rss_loaded,
                   "geoedge": {str(t): v for t, v in geo_info.items()}, "loadavg": load}, f, indent=1)


if __name__ == "__main__":
    main()
