#!/usr/bin/python3
"""Side-by-side timing of GeoEdge's neighbour search against Open3D 0.16 and SciPy cKDTree, same data, same run.

    /usr/bin/python3 bench/compare_neighbours_quick.py [--rounds 9] [--sizes 16000 100000]

Builds bench/GeoEdge.Benchmarks (Release), writes seeded clouds to bench/data/*.npy, starts the GeoEdge
harness once (`time-neighbours serve`, commands on stdin), then for each operation runs every contender
once per round, interleaved, so load from other processes hits all of them alike. Prints median
milliseconds and the ratio fastest-reference / GeoEdge (above 1 means GeoEdge is faster).

Every contender does the whole job from an [N,3] float32 array: build its index, search, return results.
  knn    k=16 neighbours of every point, self excluded. SciPy cKDTree(x).query(x, k=17, workers=-1);
         Open3D core.nns knn_index + knn_search(x, 17); GeoEdge KnnGraph.Build(cloud, 16).
  radius at most 32 neighbours within r (r gives about 16 on average). SciPy query(k=33,
         distance_upper_bound=r, workers=-1); Open3D hybrid_index(r) + hybrid_search(x, r, 33);
         GeoEdge RadiusGraph.Build(cloud, r, maxNumNeighbors: 32).
  sor    mean_k=20, std_mul=2. Open3D PointCloud.remove_statistical_outlier(20, 2.0); SciPy: cKDTree
         query k=21 plus the PCL rule in numpy; GeoEdge StatisticalOutlierRemoval.Inliers.
  ror    16 neighbours within r. Open3D remove_radius_outlier(16, r); GeoEdge RadiusOutlierRemoval.Inliers.
"""
import argparse
import os
import platform
import subprocess
import time

import numpy as np
import open3d as o3d
from scipy.spatial import cKDTree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench", "data")
HARNESS = os.path.join(ROOT, "bench", "GeoEdge.Benchmarks", "bin", "Release", "net10.0", "GeoEdge.Benchmarks.dll")


def make_clouds(sizes, seed=7):
    """Uniform cube, and a surface scan (sphere + plane + noise, as a depth camera sees) per size."""
    clouds = {}
    for n in sizes:
        rng = np.random.default_rng(seed + n)
        clouds[f"uniform-{n}"] = rng.random((n, 3), dtype=np.float32)
        half = n // 2
        theta, phi = rng.uniform(0, np.pi / 2, half), rng.uniform(0, np.pi, half)
        sphere = np.stack([np.sin(phi) * np.cos(theta), np.sin(phi) * np.sin(theta), np.cos(phi)], 1)
        plane = np.stack([rng.uniform(-1, 1, n - half), rng.uniform(-1, 1, n - half), np.full(n - half, -1.2)], 1)
        surface = np.concatenate([sphere, plane]) + rng.normal(0, 0.003, (n, 3))
        clouds[f"surface-{n}"] = surface[rng.permutation(n)].astype(np.float32)
    return clouds


def radius_for(x, mean_neighbours=16):
    """The radius giving about mean_neighbours within it, measured with SciPy (so all contenders share it)."""
    d, _ = cKDTree(x).query(x[:: max(1, len(x) // 2000)], k=mean_neighbours + 1)
    return float(np.median(d[:, -1]))


class GeoEdge:
    def __init__(self):
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "bench", "GeoEdge.Benchmarks"), "-c", "Release", "-nologo", "-v", "q"],
                       check=True, stdout=subprocess.DEVNULL)
        self.proc = subprocess.Popen(["dotnet", HARNESS, "time-neighbours", "serve"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def ask(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().split()

    def close(self):
        self.ask("quit")
        self.proc.wait()


def contenders(x, r, geoedge):
    t = o3d.core.Tensor(x)
    pcd = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(x.astype(np.float64)))

    def scipy_sor():
        d, _ = cKDTree(x).query(x, k=21, workers=-1)
        mean = d[:, 1:].mean(axis=1)
        return np.flatnonzero(mean <= mean.mean() + 2.0 * mean.std(ddof=1))

    def o3d_knn():
        nns = o3d.core.nns.NearestNeighborSearch(t)
        nns.knn_index()
        return nns.knn_search(t, 17)

    def o3d_radius():
        nns = o3d.core.nns.NearestNeighborSearch(t)
        nns.hybrid_index(r)
        return nns.hybrid_search(t, r, 33)

    def ge(command):
        return lambda: float(geoedge.ask(command)[0]) / 1000.0

    return {
        "knn": {"scipy": lambda: cKDTree(x).query(x, k=17, workers=-1), "open3d": o3d_knn, "geoedge": ge("knn 16")},
        "radius": {"scipy": lambda: cKDTree(x).query(x, k=33, distance_upper_bound=r, workers=-1),
                   "open3d": o3d_radius, "geoedge": ge(f"radius {r!r} 32")},
        "sor": {"scipy": scipy_sor, "open3d": lambda: pcd.remove_statistical_outlier(20, 2.0), "geoedge": ge("sor 20 2")},
        "ror": {"open3d": lambda: pcd.remove_radius_outlier(16, r), "geoedge": ge(f"ror {r!r} 16")},
    }


def timed(fn):
    start = time.perf_counter()
    reported = fn()
    elapsed = time.perf_counter() - start
    # The GeoEdge harness reports its own time (excluding the pipe round trip); the others are timed here.
    return reported if isinstance(reported, float) else elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[16000, 100000])
    args = parser.parse_args()

    os.makedirs(DATA, exist_ok=True)
    geoedge = GeoEdge()
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, open3d {o3d.__version__}, "
          f"GEOEDGE_SIMD={os.environ.get('GEOEDGE_SIMD', '(auto)')}, rounds={args.rounds}, median ms")
    print(f"{'cloud':16} {'op':7} {'scipy':>9} {'open3d':>9} {'geoedge':>9} {'speedup':>8}")
    for name, x in make_clouds(args.sizes).items():
        path = os.path.join(DATA, f"{name}.npy")
        np.save(path, x)
        geoedge.ask(f"load {path}")
        r = radius_for(x)
        for op, tools in contenders(x, r, geoedge).items():
            times = {tool: [] for tool in tools}
            for round_ in range(args.warmup + args.rounds):
                for tool, fn in tools.items():
                    elapsed = timed(fn)
                    if round_ >= args.warmup:
                        times[tool].append(elapsed * 1000)
            med = {tool: float(np.median(v)) for tool, v in times.items()}
            best = min(v for tool, v in med.items() if tool != "geoedge")
            cells = " ".join(f"{med[tool]:9.2f}" if tool in med else f"{'-':>9}" for tool in ("scipy", "open3d", "geoedge"))
            print(f"{name:16} {op:7} {cells} {best / med['geoedge']:7.2f}x", flush=True)
    geoedge.close()


if __name__ == "__main__":
    main()
