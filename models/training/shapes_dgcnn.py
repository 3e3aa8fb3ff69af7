#!/usr/bin/python3
"""Training recipe for the `shapes-dgcnn` point-cloud classifier shipped with GeoEdge.

Everything is procedurally generated and seeded, so the run is reproducible on a CPU:

    nice -n 19 env OMP_NUM_THREADS=1 /usr/bin/python3 models/training/shapes_dgcnn.py

It writes models/shapes-dgcnn/{model.onnx, training-report.json, reference.npz, manifest-spec.json}
and models/shapes-dgcnn/data/{test,validation,ood}.npz. See models/training/README.md.

Preprocessing contract (the C# runtime reproduces it; see manifest-spec.json):
  1. raw cloud -> farthest-point sampling to 1024 points (start index 0, float32 squared distances,
     argmax ties -> lowest index). The shipped raw clouds already have exactly 1024 points.
  2. NormalizeScale exactly like PyTorch Geometric (float32 torch ops):
        pos = pos - pos.mean(0);  scale = (1 / pos.abs().max()) * 0.999999;  pos = pos * scale
  3. kNN, k = 16, on the normalized positions, the point itself excluded, nearest first,
     d = dx*dx + dy*dy + dz*dz in float32 (no FMA), equal distances -> lower index first.
  Model inputs: "pos" float32 [B,1024,3] (normalized), "knn" int64 [B,1024,16].
"""
import argparse
import hashlib
import json
import math
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from scipy.spatial import ConvexHull, cKDTree

torch.set_num_threads(1)

SEED = 1234
NUM_POINTS = 1024
RAW_POINTS = 2048  # surface samples before occlusion and farthest-point sampling
K = 16
CLASSES = [
    "sphere", "ellipsoid", "box", "cylinder", "cone", "torus",
    "plane", "pyramid", "capsule", "tetrahedron", "hemisphere", "triangular_prism",
]
OOD_KINDS = ["helix", "jack", "clutter", "noise"]


# ----------------------------------------------------------------------------- shape sampling
def sample_triangles(tris, n, rng):
    """Area-uniform samples on a triangle soup tris [T,3,3]."""
    a, b, c = tris[:, 0], tris[:, 1], tris[:, 2]
    areas = 0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1)
    t = rng.choice(len(tris), size=n, p=areas / areas.sum())
    r1 = np.sqrt(rng.random(n))[:, None]
    r2 = rng.random(n)[:, None]
    return (1 - r1) * a[t] + r1 * (1 - r2) * b[t] + r1 * r2 * c[t]


def sample_convex(vertices, n, rng):
    hull = ConvexHull(vertices)
    return sample_triangles(vertices[hull.simplices], n, rng)


def unit_sphere(n, rng):
    v = rng.normal(size=(n, 3))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def disc(n, rng, r=1.0):
    rad = r * np.sqrt(rng.random(n))
    ang = rng.random(n) * 2 * np.pi
    return np.stack([rad * np.cos(ang), rad * np.sin(ang), np.zeros(n)], 1)


def split_by_area(areas, n, rng):
    areas = np.asarray(areas, dtype=np.float64)
    return rng.multinomial(n, areas / areas.sum())


def shape_points(name, n, rng):
    """n surface points of a canonical shape (roughly unit size, before pose/anisotropy)."""
    if name == "sphere":
        return unit_sphere(n, rng)
    if name == "ellipsoid":
        return unit_sphere(n, rng) * np.array([1.0, rng.uniform(0.5, 1.0), rng.uniform(0.3, 0.65)])
    if name == "box":
        d = np.array([1.0, rng.uniform(0.35, 1.0), rng.uniform(0.35, 1.0)])
        corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], float) * d
        return sample_convex(corners, n, rng)
    if name == "cylinder":
        h = rng.uniform(0.8, 3.0)
        ns, nt, nb = split_by_area([2 * np.pi * h, np.pi, np.pi], n, rng)
        ang = rng.random(ns) * 2 * np.pi
        side = np.stack([np.cos(ang), np.sin(ang), (rng.random(ns) - 0.5) * h], 1)
        return np.concatenate([side, disc(nt, rng) + [0, 0, h / 2], disc(nb, rng) - [0, 0, h / 2]])
    if name == "cone":
        h = rng.uniform(1.0, 2.5)
        ns, nb = split_by_area([np.pi * math.hypot(1.0, h), np.pi], n, rng)
        t = np.sqrt(rng.random(ns))  # 0 = apex, 1 = base; density grows with radius
        ang = rng.random(ns) * 2 * np.pi
        side = np.stack([t * np.cos(ang), t * np.sin(ang), h * (1 - t)], 1)
        return np.concatenate([side, disc(nb, rng)])
    if name == "torus":
        big, small = 1.0, rng.uniform(0.2, 0.45)
        out = []
        while sum(len(o) for o in out) < n:
            u = rng.random(2 * n) * 2 * np.pi
            v = rng.random(2 * n) * 2 * np.pi
            keep = rng.random(2 * n) < (big + small * np.cos(v)) / (big + small)
            u, v = u[keep], v[keep]
            out.append(np.stack([(big + small * np.cos(v)) * np.cos(u),
                                 (big + small * np.cos(v)) * np.sin(u), small * np.sin(v)], 1))
        return np.concatenate(out)[:n]
    if name == "plane":
        w = rng.uniform(0.3, 1.0)
        return np.stack([rng.uniform(-1, 1, n), rng.uniform(-w, w, n), np.zeros(n)], 1)
    if name == "pyramid":
        h = rng.uniform(1.0, 2.2)
        v = np.array([[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0], [0, 0, h]], float)
        return sample_convex(v, n, rng)
    if name == "capsule":
        length = rng.uniform(0.8, 3.0)
        ns, nc = split_by_area([2 * np.pi * length, 4 * np.pi], n, rng)
        ang = rng.random(ns) * 2 * np.pi
        side = np.stack([np.cos(ang), np.sin(ang), (rng.random(ns) - 0.5) * length], 1)
        caps = unit_sphere(nc, rng)
        caps[:, 2] += np.where(caps[:, 2] >= 0, length / 2, -length / 2)
        return np.concatenate([side, caps])
    if name == "tetrahedron":
        v = np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]], float)
        return sample_convex(v, n, rng)
    if name == "hemisphere":
        nd, nb = split_by_area([2 * np.pi, np.pi], n, rng)
        dome = unit_sphere(nd, rng)
        dome[:, 2] = np.abs(dome[:, 2])
        return np.concatenate([dome, disc(nb, rng)])
    if name == "triangular_prism":
        length = rng.uniform(0.8, 3.0)
        ang = np.array([0, 2 * np.pi / 3, 4 * np.pi / 3])
        tri = np.stack([np.cos(ang), np.sin(ang)], 1)
        v = np.concatenate([np.c_[tri, np.full(3, -length / 2)], np.c_[tri, np.full(3, length / 2)]])
        return sample_convex(v, n, rng)
    # ---- out-of-distribution shapes (never seen in training)
    if name == "helix":
        turns, radius = rng.uniform(3, 7), 1.0
        pitch = rng.uniform(0.25, 0.7)
        tube = rng.uniform(0.05, 0.15)
        t = rng.random(n) * turns * 2 * np.pi
        phi = rng.random(n) * 2 * np.pi
        c = np.stack([radius * np.cos(t), radius * np.sin(t), pitch * t / (2 * np.pi)], 1)
        nrm = np.stack([np.cos(t), np.sin(t), np.zeros(n)], 1)
        tan = np.stack([-radius * np.sin(t), radius * np.cos(t), np.full(n, pitch / (2 * np.pi))], 1)
        tan /= np.linalg.norm(tan, axis=1, keepdims=True)
        bin_ = np.cross(tan, nrm)
        return c + tube * (np.cos(phi)[:, None] * nrm + np.sin(phi)[:, None] * bin_)
    if name == "jack":
        th = rng.uniform(0.08, 0.2)
        bars = []
        for axis in range(3):
            d = np.full(3, th)
            d[axis] = rng.uniform(0.8, 1.3)
            bars.append(np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], float) * d)
        counts = split_by_area([1.0, 1.0, 1.0], n, rng)
        return np.concatenate([sample_convex(b, c, rng) for b, c in zip(bars, counts)])
    if name == "clutter":
        m = rng.integers(3, 7)
        sizes = rng.uniform(0.2, 0.6, m)
        counts = split_by_area(sizes ** 2, n, rng)
        parts = []
        for s, c in zip(sizes, counts):
            cls = CLASSES[rng.integers(len(CLASSES))]
            p = shape_points(cls, c, rng) @ random_rotation(rng).T
            p = p / max(np.abs(p).max(), 1e-9) * s
            parts.append(p + np.array([rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(0, 0.6)]))
        return np.concatenate(parts)
    raise ValueError(name)


def random_rotation(rng):
    """Uniform random rotation in SO(3) from a unit quaternion."""
    q = rng.normal(size=4)
    q /= np.linalg.norm(q)
    w, x, y, z = q
    return np.array([
        [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
        [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
        [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
    ])


def raw_cloud(name, rng):
    """One raw cloud (variable size >= 1126 points) with pose, anisotropy, scale, noise, occlusion."""
    if name == "noise":
        kind = rng.integers(3)
        if kind == 0:
            p = rng.uniform(-1, 1, (RAW_POINTS, 3))
        elif kind == 1:
            p = rng.normal(size=(RAW_POINTS, 3))
        else:
            p = unit_sphere(RAW_POINTS, rng) * np.cbrt(rng.random(RAW_POINTS))[:, None]
        p = p * rng.uniform(0.3, 5.0) + rng.uniform(-10, 10, 3)
        return p
    p = shape_points(name, RAW_POINTS, rng)
    if name == "sphere":
        p = p * rng.uniform(0.93, 1.07, 3)
    elif name != "ellipsoid":  # the ellipsoid's axes are already random
        p = p * rng.uniform(0.8, 1.25, 3)
    p = p @ random_rotation(rng).T
    p = p - p.mean(0)
    extent = np.linalg.norm(p, axis=1).max()
    p = p + rng.normal(size=p.shape) * rng.uniform(0.003, 0.02) * extent
    if rng.random() < 0.5:  # partial view: drop everything beyond a random plane
        normal = unit_sphere(1, rng)[0]
        proj = p @ normal
        keep_frac = rng.uniform(0.6, 0.95)
        p = p[proj <= np.quantile(proj, keep_frac)]
    p = p * rng.uniform(0.3, 5.0) + rng.uniform(-10, 10, 3)
    return p[rng.permutation(len(p))]


def farthest_point_sampling(clouds, m):
    """Batched FPS: start at index 0, float32 squared distances, argmax ties -> lowest index."""
    b = len(clouds)
    n = max(len(c) for c in clouds)
    xyz = np.zeros((3, b, n), np.float32)
    dist = np.full((b, n), -1.0, np.float32)  # padding keeps -1 and is never picked
    for i, c in enumerate(clouds):
        xyz[:, i, :len(c)] = c.T
        dist[i, :len(c)] = np.inf
    out = np.empty((b, m), np.int64)
    cur = np.zeros(b, np.int64)
    ar = np.arange(b)
    d = np.empty((b, n), np.float32)
    t = np.empty((b, n), np.float32)
    for j in range(m):
        out[:, j] = cur
        for axis in range(3):  # d = dx*dx + dy*dy + dz*dz, in that order
            np.subtract(xyz[axis], xyz[axis, ar, cur][:, None], out=t)
            if axis == 0:
                np.multiply(t, t, out=d)
            else:
                np.multiply(t, t, out=t)
                np.add(d, t, out=d)
        np.minimum(dist, d, out=dist)
        cur = dist.argmax(1)
    return np.ascontiguousarray(xyz[:, ar[:, None], out].transpose(1, 2, 0))


def generate(names, rng, chunk=256):
    """Raw float32 [M,1024,3] clouds for a list of shape names, in order."""
    out = []
    for s in range(0, len(names), chunk):
        clouds = [raw_cloud(nm, rng).astype(np.float32) for nm in names[s:s + chunk]]
        assert min(len(c) for c in clouds) >= NUM_POINTS
        out.append(farthest_point_sampling(clouds, NUM_POINTS))
    return np.concatenate(out)


# ----------------------------------------------------------------------------- preprocessing
def normalize_scale(pos):
    """PyTorch Geometric's NormalizeScale on a float32 tensor [..., N, 3] (per cloud)."""
    pos = pos - pos.mean(dim=-2, keepdim=True)
    m = pos.abs().amax(dim=(-2, -1), keepdim=True)
    return pos * ((1.0 / m) * 0.999999)


def knn_bruteforce(p, k=K):
    d = p[None, :, :] - p[:, None, :]
    d = d[..., 0] * d[..., 0] + d[..., 1] * d[..., 1] + d[..., 2] * d[..., 2]
    np.fill_diagonal(d, np.inf)
    return np.argsort(d, axis=1, kind="stable")[:, :k]


def knn_exact(p, k=K, extra=8):
    """Exact float32 kNN (self excluded, ties -> lower index) with a KD-tree for candidates.

    Candidates come from a float64 KD-tree; the float32 distances decide the order. A row whose
    k-th float32 distance comes close to the last candidate's distance is recomputed brute force.
    """
    n = len(p)
    d64, cand = cKDTree(p.astype(np.float64)).query(p.astype(np.float64), k=k + 1 + extra)
    diff = p[cand] - p[:, None, :]
    d = diff[..., 0] * diff[..., 0] + diff[..., 1] * diff[..., 1] + diff[..., 2] * diff[..., 2]
    rows = np.arange(n)[:, None]
    has_self = (cand == rows).any(1)
    d = np.where(cand == rows, np.float32(np.inf), d)
    order = np.lexsort((cand, d), axis=-1)
    idx = np.take_along_axis(cand, order, 1)[:, :k]
    kth = np.take_along_axis(d, order, 1)[:, k - 1].astype(np.float64)
    unsafe = ~has_self | ~(kth < d64[:, -1] * (1 - 1e-5))
    if unsafe.any():
        full = knn_bruteforce(p, k)
        idx[unsafe] = full[unsafe]
    return idx


def preprocess(raw):
    """raw float32 [M,N,3] -> (normalized float32 [M,N,3], knn int16 [M,N,K])."""
    pos = normalize_scale(torch.from_numpy(raw)).numpy()
    knn = np.stack([knn_exact(p) for p in pos]).astype(np.int16)
    return pos, knn


# ----------------------------------------------------------------------------- model
class GatherMax(torch.autograd.Function):
    """max_j x[idx_j] over k neighbours; backward scatters only into the arg-max (saves memory)."""

    @staticmethod
    def forward(ctx, x_flat, idx, k):
        vals = torch.index_select(x_flat, 0, idx).view(-1, k, x_flat.shape[1])
        out, arg = vals.max(1)
        src = torch.gather(idx.view(-1, k), 1, arg)
        ctx.save_for_backward(src)
        ctx.n = x_flat.shape[0]
        return out

    @staticmethod
    def backward(ctx, grad):
        (src,) = ctx.saved_tensors
        g = torch.zeros(ctx.n, grad.shape[1], dtype=grad.dtype).scatter_add_(0, src, grad)
        return g, None, None


class EdgeConv(nn.Module):
    """x_i' = LeakyReLU(BN(max_j Theta [x_i, x_j - x_i] + b)) over the static kNN graph.

    Theta = [T1, T2]: Theta [x_i, x_j - x_i] = (T1 - T2) x_i + T2 x_j, so the model holds
    lin_i = T1 - T2 and lin_j = T2, computes both per node and gathers only T2 x_j;
    max_j(a_i + b_j) = a_i + max_j b_j. BatchNorm and LeakyReLU come after the
    max (PyG's EdgeConv(nn=Linear) followed by BN + activation), which keeps training on one CPU
    core fast; with a positive BN scale it equals the per-edge order of the original DGCNN.
    """

    def __init__(self, cin, cout):
        super().__init__()
        self.lin_i = nn.Conv1d(cin, cout, 1)  # T1 - T2 (and the bias)
        self.lin_j = nn.Conv1d(cin, cout, 1, bias=False)  # T2
        self.bn = nn.BatchNorm1d(cout)

    def forward(self, x, idx, k):  # x [B,C,N], idx flat [B*N*k] with batch offsets
        b_, c, n = x.shape
        a = self.lin_i(x)
        nb = self.lin_j(x).transpose(1, 2).reshape(b_ * n, -1)
        if self.training:
            m = GatherMax.apply(nb, idx, k)
        else:  # plain ops: exported to ONNX as Gather + ReduceMax
            m = torch.amax(torch.index_select(nb, 0, idx).reshape(b_ * n, k, -1), dim=1)
        m = m.reshape(b_, n, -1).transpose(1, 2)
        return F.leaky_relu(self.bn(a + m), 0.2)


class ShapesDGCNN(nn.Module):
    def __init__(self, num_classes=len(CLASSES), widths=(32, 32, 64), emb=128):
        super().__init__()
        chans = [3] + list(widths)
        self.convs = nn.ModuleList(EdgeConv(chans[i], chans[i + 1]) for i in range(len(widths)))
        self.lin = nn.Conv1d(sum(widths), emb, 1, bias=False)
        self.bn = nn.BatchNorm1d(emb)
        self.head = nn.Sequential(
            nn.Linear(2 * emb, 128), nn.BatchNorm1d(128), nn.LeakyReLU(0.2), nn.Dropout(0.3),
            nn.Linear(128, num_classes))

    def forward(self, pos, knn):  # pos [B,N,3] float32, knn [B,N,k] int64
        b_, n, k = knn.shape
        offs = torch.arange(b_, dtype=knn.dtype).reshape(-1, 1, 1) * n
        idx = (knn + offs).reshape(-1)
        x = pos.transpose(1, 2)
        feats = []
        for conv in self.convs:
            x = conv(x, idx, k)
            feats.append(x)
        h = F.leaky_relu(self.bn(self.lin(torch.cat(feats, 1))), 0.2)
        embedding = torch.cat([h.amax(2), h.mean(2)], 1)
        return self.head(embedding), embedding


# ----------------------------------------------------------------------------- training
def torch_rotations(b, gen):
    q = torch.randn(b, 4, generator=gen)
    q = q / q.norm(dim=1, keepdim=True)
    w, x, y, z = q.unbind(1)
    return torch.stack([
        1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
        2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
        2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)], 1).reshape(b, 3, 3)


def predict(model, pos, knn, batch=64):
    model.eval()
    logits, embs = [], []
    with torch.no_grad():
        for s in range(0, len(pos), batch):
            lg, em = model(torch.from_numpy(pos[s:s + batch]), torch.from_numpy(knn[s:s + batch]).long())
            logits.append(lg)
            embs.append(em)
    return torch.cat(logits).numpy(), torch.cat(embs).numpy()


# ----------------------------------------------------------------------------- adversarial test set
def pgd_attack(model, raw, y, eps, steps, step_size, seed):
    """L-inf PGD on point positions, untargeted (maximise cross-entropy), one random start.

    raw float32 [M,N,3] in physical units. The attack works in normalized coordinates (NormalizeScale of the clean
    cloud): each coordinate moves at most eps (the unit ball's radius is 1), the kNN graph of the clean cloud is held
    fixed during the attack (it is not differentiable), and the result is mapped back to physical units. The device
    path recomputes NormalizeScale and the kNN graph on the perturbed cloud, so the attack is transferred, not
    white-box exact; it is the robustness test, not a bound."""
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    out = np.empty_like(raw)
    for s0 in range(0, len(raw), 32):
        r = torch.from_numpy(raw[s0:s0 + 32])
        mean = r.mean(dim=1, keepdim=True)
        scale = (1.0 / (r - mean).abs().amax(dim=(1, 2), keepdim=True)) * 0.999999
        clean = (r - mean) * scale
        knn = torch.from_numpy(np.stack([knn_exact(p) for p in clean.numpy()]).astype(np.int64))
        target = torch.from_numpy(y[s0:s0 + 32])
        delta = (torch.rand(clean.shape, generator=gen) * 2 - 1) * eps
        for _ in range(steps):
            delta.requires_grad_(True)
            logits, _ = model(clean + delta, knn)
            loss = F.cross_entropy(logits, target)
            (grad,) = torch.autograd.grad(loss, delta)
            delta = (delta.detach() + step_size * grad.sign()).clamp(-eps, eps)
        out[s0:s0 + 32] = ((clean + delta) / scale + mean).detach().numpy()
    return out


def write_adversarial(out, eps, steps, seed=SEED):
    """models/shapes-dgcnn/data/adversarial.npz from model.pt and data/test.npz (no retraining)."""
    model = ShapesDGCNN()
    model.load_state_dict(torch.load(os.path.join(out, "model.pt")))
    test = np.load(os.path.join(out, "data", "test.npz"))
    raw, y = test["pos"].astype(np.float32), test["label"].astype(np.int64)
    t = time.time()
    adv = pgd_attack(model, raw, y, eps, steps, eps / 4, seed)
    clean_pos, clean_knn = preprocess(raw)
    adv_pos, adv_knn = preprocess(adv)
    clean_acc = float((predict(model, clean_pos, clean_knn)[0].argmax(1) == y).mean())
    adv_acc = float((predict(model, adv_pos, adv_knn)[0].argmax(1) == y).mean())
    path = os.path.join(out, "data", "adversarial.npz")
    np.savez_compressed(path, pos=adv, label=y, epsilon=np.float32(eps), steps=np.int64(steps))
    print(f"wrote {path}: {len(y)} clouds, L-inf eps {eps} (normalized units), {steps} PGD steps, "
          f"PyTorch accuracy clean {clean_acc:.4f} -> adversarial {adv_acc:.4f} ({time.time() - t:.0f}s)", flush=True)
    return {"file": "data/adversarial.npz", "epsilon": eps, "steps": steps, "step_size": eps / 4,
            "clean_accuracy": round(clean_acc, 4), "adversarial_accuracy": round(adv_acc, 4), "sha256": sha256(path)}


def auroc(pos_scores, neg_scores):
    """P(score of an OOD sample > score of an in-distribution sample), ties count half."""
    s = np.concatenate([pos_scores, neg_scores])
    ranks = np.empty(len(s))
    order = np.argsort(s, kind="stable")
    ranks[order] = np.arange(1, len(s) + 1)
    for v in np.unique(s):  # average ranks of ties
        m = s == v
        ranks[m] = ranks[m].mean()
    n1, n0 = len(pos_scores), len(neg_scores)
    return float((ranks[:n1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def op_histogram(model_proto):
    hist = {}
    for node in model_proto.graph.node:
        hist[node.op_type] = hist.get(node.op_type, 0) + 1
    return dict(sorted(hist.items()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shapes-dgcnn"))
    ap.add_argument("--train-per-class", type=int, default=200)
    ap.add_argument("--val-per-class", type=int, default=10)
    ap.add_argument("--test-per-class", type=int, default=50, help="evaluation set; a balanced subset is shipped")
    ap.add_argument("--ship-test-per-class", type=int, default=20)
    ap.add_argument("--ood-per-kind", type=int, default=25)
    ap.add_argument("--epochs", type=int, default=14)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--adversarial-only", action="store_true",
                    help="only write data/adversarial.npz (PGD on data/test.npz with the existing model.pt), no training")
    ap.add_argument("--adv-eps", type=float, default=0.02, help="L-inf bound per coordinate, normalized units")
    ap.add_argument("--adv-steps", type=int, default=10)
    ap.add_argument("--eval-splits-only", action="store_true",
                    help="only write the large evaluation splits to data-large/ (validation 1,200, test 2,400 clouds; "
                         "see shapes_eval_splits.py) and their SHA-256 to data-large.json, no training")
    ap.add_argument("--with-train", action="store_true",
                    help="with --eval-splits-only: also regenerate the training split as data-large/train.npz")
    ap.add_argument("--check", action="store_true",
                    help="with --eval-splits-only: only compare data-large/ with data-large.json (exit 1 on a mismatch)")
    ap.add_argument("--init", help="continue training from this state_dict (e.g. the model.pt of a previous run)")
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    if args.eval_splits_only:
        import shapes_eval_splits as E
        if args.check:
            bad = E.check_eval_splits(out)
            print("\n".join(bad) if bad else "data-large/ matches data-large.json", flush=True)
            return 1 if bad else 0
        E.write_eval_splits(sys.modules[__name__], out, with_train=args.with_train)
        return 0
    if args.adversarial_only:
        info = write_adversarial(out, args.adv_eps, args.adv_steps)
        json.dump(info, open(os.path.join(out, "data", "adversarial.json"), "w"), indent=2)
        return
    t_start = time.time()
    timings = {}

    torch.manual_seed(SEED)
    ss_train, ss_val, ss_test, ss_ood = np.random.SeedSequence(SEED).spawn(4)
    nc = len(CLASSES)

    def labels_for(per_class, rng):
        y = np.repeat(np.arange(nc), per_class)
        return y[rng.permutation(len(y))]

    t = time.time()
    splits = {}
    for name, ss, per in (("train", ss_train, args.train_per_class), ("validation", ss_val, args.val_per_class),
                          ("test", ss_test, args.test_per_class)):
        rng = np.random.Generator(np.random.PCG64(ss))
        y = labels_for(per, rng)
        raw = generate([CLASSES[i] for i in y], rng)
        splits[name] = (raw, y.astype(np.int64))
        print(f"generated {name}: {raw.shape} in {time.time() - t:.0f}s", flush=True)
    rng = np.random.Generator(np.random.PCG64(ss_ood))
    ood_kind = np.repeat(np.arange(len(OOD_KINDS)), args.ood_per_kind)
    ood_raw = generate([OOD_KINDS[i] for i in ood_kind], rng)
    timings["generate_s"] = round(time.time() - t, 1)

    t = time.time()
    pre = {name: preprocess(raw) for name, (raw, _) in splits.items()}
    ood_pos, ood_knn = preprocess(ood_raw)
    timings["preprocess_s"] = round(time.time() - t, 1)
    print(f"preprocessed in {timings['preprocess_s']}s", flush=True)

    # ---- train
    model = ShapesDGCNN()
    init_info = None
    if args.init:
        init_info = {"path": os.path.relpath(os.path.abspath(args.init), out), "sha256": sha256(args.init)}
        report_path = os.path.join(os.path.dirname(os.path.abspath(args.init)), "training-report.json")
        if os.path.exists(report_path):  # keep the earlier phase's record in this report
            prev = json.load(open(report_path))
            init_info["previous_phases"] = prev.get("previous_phases", []) + [
                {k: prev.get(k) for k in ("epochs", "batch", "optimizer", "history", "test_accuracy", "init",
                                          "timings_s", "total_wall_s")}]
        model.load_state_dict(torch.load(args.init))
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-4)
    tr_pos = torch.from_numpy(pre["train"][0])
    tr_knn = torch.from_numpy(pre["train"][1])
    tr_y = torch.from_numpy(splits["train"][1])
    steps_per_epoch = len(tr_pos) // args.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch,
                                                pct_start=0.15)
    gen = torch.Generator().manual_seed(SEED)
    history = []
    t = time.time()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(tr_pos), generator=gen)
        tot, correct, loss_sum = 0, 0, 0.0
        for s in range(steps_per_epoch):
            bi = perm[s * args.batch:(s + 1) * args.batch]
            # rotation augmentation: kNN indices are rotation invariant, NormalizeScale is redone
            pos = normalize_scale(torch.bmm(tr_pos[bi], torch_rotations(len(bi), gen)))
            logits, _ = model(pos, tr_knn[bi].long())
            loss = F.cross_entropy(logits, tr_y[bi], label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(bi)
            correct += (logits.argmax(1) == tr_y[bi]).sum().item()
            tot += len(bi)
            if s % 50 == 0:
                print(f"  epoch {epoch} step {s}/{steps_per_epoch} loss {loss.item():.3f} "
                      f"{time.time() - t:.0f}s", flush=True)
        val_logits, _ = predict(model, *pre["validation"])
        val_acc = float((val_logits.argmax(1) == splits["validation"][1]).mean())
        history.append({"epoch": epoch + 1, "train_loss": round(loss_sum / tot, 4),
                        "train_acc": round(correct / tot, 4), "val_acc": round(val_acc, 4),
                        "elapsed_s": round(time.time() - t, 1)})
        print(history[-1], flush=True)
    timings["train_s"] = round(time.time() - t, 1)
    model.eval()

    # ---- evaluate
    y_test = splits["test"][1]
    test_logits, test_emb = predict(model, *pre["test"])
    pred = test_logits.argmax(1)
    conf = np.zeros((nc, nc), np.int64)
    np.add.at(conf, (y_test, pred), 1)
    recall = {CLASSES[c]: round(float(conf[c, c] / conf[c].sum()), 4) for c in range(nc)}
    test_acc = float((pred == y_test).mean())
    # balanced shipped subset: the first ship_test_per_class of each class in generation order
    ship = np.concatenate([np.flatnonzero(y_test == c)[:args.ship_test_per_class] for c in range(nc)])
    ship.sort()
    ship_acc = float((pred[ship] == y_test[ship]).mean())
    val_logits, _ = predict(model, *pre["validation"])
    val_acc = float((val_logits.argmax(1) == splits["validation"][1]).mean())
    ood_logits, ood_emb = predict(model, ood_pos, ood_knn)

    def msp(lg):
        e = np.exp(lg - lg.max(1, keepdims=True))
        return (e / e.sum(1, keepdims=True)).max(1)

    ood_auroc = auroc(-msp(ood_logits), -msp(test_logits))
    ood_auroc_kind = {OOD_KINDS[i]: round(auroc(-msp(ood_logits[ood_kind == i]), -msp(test_logits)), 4)
                      for i in range(len(OOD_KINDS))}
    print(f"test accuracy {test_acc:.4f} (n={len(y_test)}), shipped subset {ship_acc:.4f} (n={len(ship)}), "
          f"validation {val_acc:.4f}; OOD AUROC (max softmax) {ood_auroc:.4f}", flush=True)
    print("per-class recall", recall, flush=True)

    torch.save(model.state_dict(), os.path.join(out, "model.pt"))  # for fine-tuning / QAT later
    # ---- export
    t = time.time()
    import onnx
    from onnx import shape_inference
    onnx_path = os.path.join(out, "model.onnx")
    ex_pos = torch.from_numpy(pre["test"][0][:2])
    ex_knn = torch.from_numpy(pre["test"][1][:2]).long()
    torch.onnx.export(model, (ex_pos, ex_knn), onnx_path, opset_version=17,
                      input_names=["pos", "knn"], output_names=["logits", "embedding"],
                      dynamic_axes={"pos": {0: "B"}, "knn": {0: "B"}, "logits": {0: "B"}, "embedding": {0: "B"}},
                      do_constant_folding=True)
    proto = onnx.load(onnx_path)
    onnx.checker.check_model(proto, full_check=True)
    inferred = shape_inference.infer_shapes(proto, check_type=True, strict_mode=True)
    hist = op_histogram(proto)
    forbidden = sorted(set(hist) & {"ScatterElements", "ScatterND", "Scatter", "TopK", "Einsum"})
    assert not forbidden, f"unexpected ops {forbidden}"

    def shape_of(vi):
        return [d.dim_param if d.dim_param else d.dim_value for d in vi.type.tensor_type.shape.dim]

    io = {"inputs": [{"name": v.name, "dtype": np.dtype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[v.type.tensor_type.elem_type]).name,
                      "shape": shape_of(v)} for v in inferred.graph.input],
          "outputs": [{"name": v.name, "dtype": np.dtype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[v.type.tensor_type.elem_type]).name,
                       "shape": shape_of(v)} for v in inferred.graph.output]}
    # largest intermediate: proves there is no [N,N] tensor in the graph
    max_inner = 0
    for vi in inferred.graph.value_info:
        dims = [d.dim_value for d in vi.type.tensor_type.shape.dim if d.dim_value > 0]
        if dims:
            max_inner = max(max_inner, int(np.prod(dims)))
    timings["export_s"] = round(time.time() - t, 1)
    print("ONNX io", io, "\nop histogram", hist, flush=True)

    # ---- shipped data
    def save_npz(name, **arrays):
        path = os.path.join(out, "data", name)
        np.savez_compressed(path, **arrays)
        return path

    test_raw = splits["test"][0]
    files = {
        "test.npz": save_npz("test.npz", pos=test_raw[ship], label=y_test[ship]),
        "validation.npz": save_npz("validation.npz", pos=splits["validation"][0], label=splits["validation"][1]),
        "ood.npz": save_npz("ood.npz", pos=ood_raw, label=np.full(len(ood_raw), -1, np.int64),
                            ood_kind=ood_kind.astype(np.int64)),
    }

    # ---- reference: 8 shipped test samples, inputs recomputed from the raw clouds
    ref_idx = ship[:8]
    ref_raw = test_raw[ref_idx]
    ref_pos = normalize_scale(torch.from_numpy(ref_raw)).numpy()
    ref_knn = np.stack([knn_bruteforce(p) for p in ref_pos]).astype(np.int64)
    assert np.array_equal(ref_knn, pre["test"][1][ref_idx].astype(np.int64)), "KD-tree kNN != brute force"
    with torch.no_grad():
        ref_logits, ref_emb = model(torch.from_numpy(ref_pos), torch.from_numpy(ref_knn))
        # re-run one by one: batch composition must not change the outputs in eval mode
        single = torch.cat([model(torch.from_numpy(ref_pos[i:i + 1]), torch.from_numpy(ref_knn[i:i + 1]))[0]
                            for i in range(len(ref_idx))])
    batch_consistency = float((single - ref_logits).abs().max())
    ref_path = os.path.join(out, "reference.npz")
    np.savez_compressed(ref_path, raw_pos=ref_raw, pos=ref_pos, knn=ref_knn, label=y_test[ref_idx],
                        logits=ref_logits.numpy(), embedding=ref_emb.numpy())
    rr = np.load(ref_path)
    with torch.no_grad():
        lg2, em2 = model(torch.from_numpy(rr["pos"]), torch.from_numpy(rr["knn"]))
    rerun_diff = max(float(np.abs(lg2.numpy() - rr["logits"]).max()), float(np.abs(em2.numpy() - rr["embedding"]).max()))

    params = sum(p.numel() for p in model.parameters())
    report = {
        "model": "shapes-dgcnn", "version": "1.0.0",
        "test_accuracy": round(test_acc, 4), "test_samples": int(len(y_test)),
        "shipped_test_accuracy": round(ship_acc, 4), "shipped_test_samples": int(len(ship)),
        "validation_accuracy": round(val_acc, 4), "validation_samples": int(len(splits["validation"][1])),
        "per_class_recall": recall,
        "confusion_matrix": {"rows_true_cols_pred": CLASSES, "matrix": conf.tolist()},
        "ood_auroc_max_softmax": round(ood_auroc, 4), "ood_auroc_by_kind": ood_auroc_kind,
        "epochs": args.epochs, "history": history, "train_samples": int(len(tr_y)),
        "init": init_info and {k: v for k, v in init_info.items() if k != "previous_phases"},
        "previous_phases": (init_info or {}).get("previous_phases", []),
        "batch": args.batch, "optimizer": f"Adam(lr={args.lr}, weight_decay=1e-4), OneCycle, label smoothing 0.05",
        "augmentation": "random SO(3) rotation of the normalized cloud, NormalizeScale redone, same kNN",
        "parameters": int(params), "seed": SEED, "torch": torch.__version__, "threads": torch.get_num_threads(),
        "timings_s": timings, "total_wall_s": round(time.time() - t_start, 1),
        "onnx": {"opset": 17, "io": io, "op_histogram": hist, "largest_static_intermediate_elements_per_batch":
                 max_inner, "checker": "onnx.checker.check_model(full_check=True) ok",
                 "size_bytes": os.path.getsize(onnx_path)},
        "reference_check": {"rerun_max_abs_diff": rerun_diff, "batch_vs_single_max_abs_diff": batch_consistency,
                            "knn_kdtree_equals_bruteforce": True},
    }
    with open(os.path.join(out, "training-report.json"), "w") as f:
        json.dump(report, f, indent=2)

    manifest = {
        "name": "shapes-dgcnn", "version": "1.0.0", "task": "point-cloud-classification",
        "model_file": "model.onnx", "opset": 17,
        "inputs": [{"name": "pos", "dtype": "float32", "shape": ["B", NUM_POINTS, 3],
                    "description": "positions after farthest-point sampling and NormalizeScale"},
                   {"name": "knn", "dtype": "int64", "shape": ["B", NUM_POINTS, K],
                    "description": "indices of the k nearest neighbours of each point within its cloud "
                                   "(self excluded, nearest first, ties -> lower index)"}],
        "outputs": [{"name": "logits", "dtype": "float32", "shape": ["B", nc]},
                    {"name": "embedding", "dtype": "float32", "shape": ["B", 256],
                     "description": "global max (first 128) and mean (last 128) pooled features, for OOD scoring"}],
        "preprocessing": {
            "points": NUM_POINTS,
            "sampling": "farthest-point",
            "sampling_details": "start at index 0; float32 squared distance dx*dx+dy*dy+dz*dz; "
                                "argmax ties -> lowest index; clouds with exactly 1024 points are used as they are",
            "normalize": "NormalizeScale",
            "normalize_details": "float32: pos -= mean(pos, axis=0); scale = (1 / max(abs(pos))) * 0.999999; pos *= scale",
            "knn": {"k": K, "loop": False, "distance": "float32 dx*dx+dy*dy+dz*dz on normalized positions",
                    "order": "nearest first, equal distances -> lower index"},
        },
        "labels": CLASSES,
        "dataset": {
            "name": "geoedge-procedural-shapes",
            "generator": "models/training/shapes_dgcnn.py",
            "seed": SEED,
            "sizes": {"train": int(len(tr_y)), "validation": int(len(splits["validation"][1])),
                      "test_evaluated": int(len(y_test)), "test_shipped": int(len(ship)), "ood": int(len(ood_raw))},
            "ood_kinds": OOD_KINDS,
            "description": "surface samples of 12 primitive shapes with random SO(3) pose, scale 0.3-5, "
                           "per-axis anisotropy, Gaussian noise 0.3-2% of extent, 50% partial views (plane cut "
                           "keeping 60-95%), 2048 samples -> farthest-point sampling to 1024. Shipped npz files hold "
                           "RAW float32 positions (before NormalizeScale) as 'pos' and int64 'label'.",
            "licence": "CC0-1.0 (procedurally generated)",
            "files": {f"data/{k}": {"sha256": sha256(p), "bytes": os.path.getsize(p)} for k, p in files.items()},
        },
        "training": {"epochs": args.epochs + sum(p["epochs"] for p in (init_info or {}).get("previous_phases", [])),
                     "phases": 1 + len((init_info or {}).get("previous_phases", [])), "accuracy": round(test_acc, 4), "test_samples": int(len(y_test)),
                     "shipped_test_accuracy": round(ship_acc, 4), "validation_accuracy": round(val_acc, 4),
                     "report": "training-report.json"},
        "reference": {"file": "reference.npz", "arrays": ["raw_pos", "pos", "knn", "label", "logits", "embedding"]},
    }
    with open(os.path.join(out, "manifest-spec.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    print(json.dumps({k: report[k] for k in ("test_accuracy", "shipped_test_accuracy", "validation_accuracy",
                                              "ood_auroc_max_softmax", "timings_s", "total_wall_s")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
