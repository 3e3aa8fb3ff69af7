#!/usr/bin/python3
"""Original vs `geoedge-model optimize`d models in ONNX Runtime vs PyTorch eager, same weights, same inputs, same run.

    nice dotnet build src/GeoEdge.ModelTool -c Release -nologo -v q
    nice dotnet build bench/GeoEdge.Benchmarks -c Release -nologo -v q
    /usr/bin/python3 bench/compare_optimize.py [--rounds 5] [--inner 10] [--threads 1,2]

Models: the PyG-style scatter-mean GNN of models/training/scatter_gnn.py (weights models/training/scatter_gnn.pt,
ONNX tests/fixtures/onnx/optimize/scatter_gnn.onnx) on one graph of N = 512 and N = 5,120 uniform random points with
its kNN graph (k = 16, self excluded, edges target-major as KnnGraph emits them); and shapes-dgcnn (bundle model,
batch 1, the first cloud of models/shapes-dgcnn/reference.npz). The optimized models come from
`geoedge-model optimize IN --out OUT --contract knn-target-major` (written to bench/data/, not committed).
PyTorch: the recipes' classes, eval + no_grad, torch.set_num_threads(T), median of --inner calls after 3 warm-ups.
ONNX Runtime: `GeoEdge.Benchmarks onnx MODEL INPUTS.npz T INNER` (bench/GeoEdge.Benchmarks/Comparison/OnnxTimer.cs),
C# API, IntraOpNumThreads = T, median of INNER Run calls after 3 warm-ups.
Interleaved: each of --rounds rounds measures PyTorch, ORT original and ORT optimized once each (in that order), so a
change of machine load hits all three alike; the table gives the median over rounds of each time and of each
per-round ratio (ratio = PyTorch eager / optimized ORT), and the spread (min..max) of the PyTorch ratio.
"""
import argparse
import os
import subprocess
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "models", "training"))
DATA = os.path.join(ROOT, "bench", "data")
TOOL = os.path.join(ROOT, "src", "GeoEdge.ModelTool", "bin", "Release", "net10.0", "geoedge-model")
HARNESS = os.path.join(ROOT, "bench", "GeoEdge.Benchmarks", "bin", "Release", "net10.0", "GeoEdge.Benchmarks")


def optimize(src, dst):
    subprocess.run([TOOL, "optimize", src, "--out", dst, "--contract", "knn-target-major"], check=True, stdout=subprocess.DEVNULL)
    return dst


def ort_ms(model, npz, threads, rounds):
    """(median wall ms, median CPU ms of the process) per Run."""
    out = subprocess.run([HARNESS, "onnx", model, npz, str(threads), str(rounds)], check=True, capture_output=True, text=True)
    fields = out.stdout.split()
    return float(fields[0]), float(fields[3])


def torch_ms(fn, threads, rounds):
    """(median wall ms, median CPU ms of the process) per call."""
    torch.set_num_threads(threads)
    with torch.no_grad():
        for _ in range(3):
            fn()
        times, cpu = [], []
        for _ in range(rounds):
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    return float(np.median(times)), float(np.median(cpu))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds (PyTorch, ORT original, ORT optimized)")
    ap.add_argument("--inner", type=int, default=10, help="timed calls per measurement, after 3 warm-ups")
    ap.add_argument("--threads", default="1,2")
    args = ap.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    os.makedirs(DATA, exist_ok=True)
    import scatter_gnn
    import shapes_dgcnn

    gnn = scatter_gnn.ScatterGnn()
    gnn.load_state_dict(torch.load(os.path.join(ROOT, "models", "training", "scatter_gnn.pt")))
    gnn.eval()
    src = os.path.join(ROOT, "tests", "fixtures", "onnx", "optimize", "scatter_gnn.onnx")
    opt = optimize(src, os.path.join(DATA, "scatter_gnn.opt.onnx"))
    cases = []
    rng = np.random.default_rng(5)
    for n in (512, 5120):
        pos = torch.as_tensor(rng.random((n, 3), dtype=np.float32))
        x, ei, b, g = scatter_gnn.batch_graphs([pos])
        npz = os.path.join(DATA, f"scatter_gnn_{n}.npz")
        np.savez(npz, x=x.numpy(), edge_index=ei.numpy(), batch=b.numpy(), num_graphs=g.numpy())
        cases.append((f"scatter GNN N={n} (E={ei.shape[1]})", (lambda x=x, ei=ei, b=b, g=g: gnn(x, ei, b, g)), src, opt, npz))

    dg = shapes_dgcnn.ShapesDGCNN()
    dg.load_state_dict(torch.load(os.path.join(ROOT, "models", "shapes-dgcnn", "model.pt")))
    dg.eval()
    ref = np.load(os.path.join(ROOT, "models", "shapes-dgcnn", "reference.npz"))
    pos, knn = torch.as_tensor(ref["pos"][:1]), torch.as_tensor(ref["knn"][:1])
    npz = os.path.join(DATA, "shapes_dgcnn_1.npz")
    np.savez(npz, pos=pos.numpy(), knn=knn.numpy())
    dsrc = os.path.join(ROOT, "models", "shapes-dgcnn", "bundle", "model.onnx")
    dopt = optimize(dsrc, os.path.join(DATA, "shapes_dgcnn.opt.onnx"))
    cases.append(("shapes-dgcnn B=1 (1024 pts, k=16)", lambda: dg(pos, knn), dsrc, dopt, npz))

    loads = [os.getloadavg()[0]]
    rows, cpu_rows = [], []
    for name, fn, original, optimized, inputs in cases:
        for t in threads:
            per_round = []
            for _ in range(args.rounds):
                per_round.append((torch_ms(fn, t, args.inner), ort_ms(original, inputs, t, args.inner), ort_ms(optimized, inputs, t, args.inner)))
            loads.append(os.getloadavg()[0])
            (pt, ptc), (orig, origc), (o, oc) = ((np.array([w for w, _ in c]), np.array([u for _, u in c])) for c in zip(*per_round))
            rows.append((name, t, np.median(pt), np.median(orig), np.median(o), np.median(orig / o), np.median(pt / o),
                         (pt / o).min(), (pt / o).max()))
            if t == 1:
                cpu_rows.append((name, np.median(ptc), np.median(origc), np.median(oc), np.median(origc / oc), np.median(ptc / oc)))

    print(f"load average (1 min) {min(loads):.1f}..{max(loads):.1f} during the run; {args.rounds} interleaved rounds of {args.inner} calls")
    print("| model | threads | PyTorch eager ms | ORT original ms | ORT optimized ms | optimized vs original | optimized vs PyTorch (min..max) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, t, pt, orig, o, r_orig, r_pt, lo, hi in rows:
        print(f"| {name} | {t} | {pt:.2f} | {orig:.2f} | {o:.2f} | {r_orig:.2f}x | **{r_pt:.2f}x** ({lo:.2f}..{hi:.2f}) |")
    print()
    print("CPU time per call at 1 thread (process CPU, what load inflates least):")
    print("| model | PyTorch eager CPU ms | ORT original CPU ms | ORT optimized CPU ms | optimized vs original | optimized vs PyTorch |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, pt, orig, o, r_orig, r_pt in cpu_rows:
        print(f"| {name} | {pt:.2f} | {orig:.2f} | {o:.2f} | {r_orig:.2f}x | **{r_pt:.2f}x** |")


if __name__ == "__main__":
    main()
