#!/usr/bin/python3
"""Training recipe for the `sensor-stgnn` sensor-graph anomaly detector shipped with GeoEdge.

A simulated office floor (12 spaces, 22 sensors) produces temperature, relative humidity and
vibration readings every 5 minutes; windows of 64 samples get injected sensor faults (stuck-at,
spike, drift, dropout, swapped sensors) and a spatio-temporal GNN scores every sensor.

    nice -n 19 env OMP_NUM_THREADS=1 /usr/bin/python3 models/training/sensor_stgnn.py

Writes models/sensor-stgnn/{model.onnx, training-report.json, reference.npz, manifest-spec.json}
and models/sensor-stgnn/data/{test,validation}.npz. See models/training/README.md.

Input encoding (the C# runtime reproduces it; see manifest-spec.json "encoding"):
  raw window r [S,T] in physical units, NaN = missing sample; start_s = seconds since the local
  midnight of a Monday (the simulation starts 2024-01-01T00:00, a Monday) of sample t = 0.
  mask[s,t]   = 1 if r[s,t] is missing else 0
  filled[s,:] = r[s,:] with each missing sample replaced by the last valid sample before it in the
                window; missing samples before the first valid one take the first valid sample; a
                sensor with no valid sample in the window takes mean[s]
  x[b,s,t,0]  = (filled[s,t] - mean[s]) / std[s]            (float32)
  x[b,s,t,1]  = mask[s,t]
  x[b,s,t,2]  = sin(2*pi*tod/86400), x[b,s,t,3] = cos(2*pi*tod/86400), tod = (start_s + 300 t) mod 86400
  Model input "x" float32 [B,22,64,4]; output "scores" float32 [B,22] (logits; sensor s is anomalous
  when scores[s] > threshold[s]).
"""
import argparse
import hashlib
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)

SEED = 4321
PERIOD_S = 300
STEPS_PER_DAY = 86400 // PERIOD_S
T = 64
C = 4
DAYS = {"train": 126, "validation": 28, "test": 21}
ANOMALY_KINDS = ["normal", "stuck", "spike", "drift", "dropout", "swap"]

# ----------------------------------------------------------------------------- floor plan
#  +--------+--------+--------+--------+
#  |  R1    |  R2    |  R3    |  R4    |      north wing (R4 = server room)
#  +--------+--------+--------+--------+
#  | LOBBY  |  C1 corridor    |  C2 corridor    | STAIR |
#  +--------+--------+--------+--------+
#  |  R5    |  R6    |  R7    |  R8    |      south wing, sun (R7 = lab, R8 = mechanical room/AHU)
#  +--------+--------+--------+--------+
SPACES = ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "C1", "C2", "LOBBY", "STAIR"]
SP = {n: i for i, n in enumerate(SPACES)}
WALLS = [("R1", "R2"), ("R2", "R3"), ("R3", "R4"), ("R5", "R6"), ("R6", "R7"), ("R7", "R8"),
         ("LOBBY", "R1"), ("LOBBY", "R5"), ("STAIR", "R4"), ("STAIR", "R8")]
DOORS = [("R1", "C1"), ("R2", "C1"), ("R5", "C1"), ("R6", "C1"), ("R3", "C2"), ("R4", "C2"),
         ("R7", "C2"), ("R8", "C2"), ("C1", "C2"), ("LOBBY", "C1"), ("STAIR", "C2")]
EXTERIOR = {"R1": 0.06, "R2": 0.05, "R3": 0.05, "R4": 0.06, "R5": 0.06, "R6": 0.05, "R7": 0.05,
            "R8": 0.06, "C1": 0.01, "C2": 0.01, "LOBBY": 0.15, "STAIR": 0.08}
SOUTH = ["R5", "R6", "R7", "R8", "LOBBY"]
CAPACITY = {"R1": 4, "R2": 4, "R3": 4, "R4": 1, "R5": 4, "R6": 4, "R7": 3, "R8": 1,
            "C1": 2, "C2": 2, "LOBBY": 8, "STAIR": 2}

# one node = one sensor with one reading
SENSORS = (
    [{"name": f"temp_{s.lower()}", "kind": "temperature", "unit": "degC", "space": s, "range": [-20.0, 60.0]}
     for s in SPACES]
    + [{"name": f"rh_{s.lower()}", "kind": "humidity", "unit": "%RH", "space": s, "range": [0.0, 100.0]}
       for s in ["R1", "R3", "R5", "R6", "R7", "LOBBY"]]
    + [{"name": n, "kind": "vibration", "unit": "mm/s RMS", "space": s, "range": [0.0, 50.0]}
       for n, s in [("vib_ahu", "R8"), ("vib_lab", "R7"), ("vib_slab_c2", "C2"), ("vib_server", "R4")]]
)
S = len(SENSORS)
VIB_NEAR = [("vib_ahu", "vib_slab_c2"), ("vib_lab", "vib_slab_c2"), ("vib_server", "vib_slab_c2"),
            ("vib_ahu", "vib_lab")]


def sensor_edges():
    """Undirected sensor graph: co-located sensors, same-kind sensors in adjacent spaces, slab links."""
    adj_spaces = {tuple(sorted((SP[a], SP[b]))) for a, b in WALLS + DOORS}
    idx = {s["name"]: i for i, s in enumerate(SENSORS)}
    edges = set()
    for i, a in enumerate(SENSORS):
        for j, b in enumerate(SENSORS):
            if j <= i:
                continue
            sa, sb = SP[a["space"]], SP[b["space"]]
            if sa == sb:
                edges.add((i, j))
            elif a["kind"] == b["kind"] and a["kind"] != "vibration" and tuple(sorted((sa, sb))) in adj_spaces:
                edges.add((i, j))
    for a, b in VIB_NEAR:
        edges.add(tuple(sorted((idx[a], idx[b]))))
    return sorted(edges)


def normalized_adjacency(edges):
    a = np.eye(S, dtype=np.float64)
    for i, j in edges:
        a[i, j] = a[j, i] = 1.0
    d = 1.0 / np.sqrt(a.sum(1))
    return (d[:, None] * a * d[None, :]).astype(np.float32)


# ----------------------------------------------------------------------------- simulation
# The simulated plant's parameters; another plant (the OOD set's "other-plant" windows) overrides some of them.
PLANT = {"outdoor_base": 8.0, "outdoor_humidity": 5.0, "setpoint": 21.5, "server_setpoint": 20.0, "vibration_gain": 1.0}


def simulate(days, rng, plant=None):
    """Clean sensor series [S, days*288] in physical units (before faults and packet loss)."""
    p = dict(PLANT, **(plant or {}))
    ob = p["outdoor_base"]
    n = days * STEPS_PER_DAY
    dt_h = PERIOD_S / 3600.0
    hour = (np.arange(n) * dt_h) % 24
    day = np.arange(n) // STEPS_PER_DAY
    weekday = (day % 7) < 5
    # outdoor weather: day-level AR(1) mean, daily sine, cloudiness
    base = np.empty(days)
    b = ob
    for d in range(days):
        b = ob + 0.8 * (b - ob) + rng.normal(0, 1.5)
        base[d] = b
    amp = rng.uniform(3, 7, days)
    cloud = rng.uniform(0.2, 1.0, days)
    base_t = np.interp(np.arange(n) / STEPS_PER_DAY - 0.5, np.arange(days), base)
    t_out = base_t + amp[day] * np.sin(2 * np.pi * (hour - 9) / 24) + np.cumsum(rng.normal(0, 0.03, n)) * 0.1
    w_out = p["outdoor_humidity"] + 0.15 * (base_t - ob) + 0.8 * np.sin(2 * np.pi * (hour - 15) / 24)
    solar = np.clip(np.sin(np.pi * (hour - 7) / 10), 0, None) * (hour > 7) * (hour < 17) * cloud[day]

    hvac = weekday & (hour >= 6.5) & (hour < 19)
    # occupancy: binomial per space, resampled every 30 minutes, office-hour profile with a lunch dip
    prof = np.where(weekday & (hour >= 7.5) & (hour < 18.5),
                    0.75 - 0.35 * np.exp(-((hour - 12.5) ** 2) / 0.5) - 0.4 * np.exp(-((hour - 8) ** 2) / 0.3)
                    - 0.4 * np.exp(-((hour - 18) ** 2) / 0.3), 0.02)
    occ = np.zeros((len(SPACES), n))
    cap = np.array([CAPACITY[s] for s in SPACES])
    for s0 in range(0, n, 6):
        occ[:, s0:s0 + 6] = rng.binomial(cap, np.clip(prof[s0] * rng.uniform(0.6, 1.2), 0, 1))[:, None]
    # lab machine runs in 30-minute blocks during office hours, server load follows the day
    lab = np.zeros(n)
    for s0 in range(0, n, 6):
        if weekday[s0] and 9 <= hour[s0] < 17 and rng.random() < 0.4:
            lab[s0:s0 + 6] = rng.uniform(0.6, 1.0)
    server = 0.6 + 0.4 * np.clip(np.sin(np.pi * (hour - 7) / 14), 0, None) * weekday
    ahu = np.convolve(hvac.astype(float), np.ones(3) / 3, mode="same")  # soft start/stop

    ns = len(SPACES)
    k = np.zeros((ns, ns))
    for a, b_ in WALLS:
        k[SP[a], SP[b_]] = k[SP[b_], SP[a]] = 0.15
    for a, b_ in DOORS:
        k[SP[a], SP[b_]] = k[SP[b_], SP[a]] = 0.4
    kdeg = k.sum(1)
    k_out = np.array([EXTERIOR[s] for s in SPACES])
    south = np.array([s in SOUTH for s in SPACES], float)
    equip = np.zeros(ns)
    equip[SP["R4"]] = 2.0
    equip[SP["R8"]] = 0.4
    setpoint = np.full(ns, p["setpoint"])
    h_on = np.full(ns, 0.8)
    h_on[SP["C1"]] = h_on[SP["C2"]] = h_on[SP["STAIR"]] = 0.4
    lab_moist = np.zeros(ns)
    lab_moist[SP["R7"]] = 0.5

    temp = np.full(ns, 20.0)
    w = np.full(ns, 6.5)
    temps = np.empty((ns, n))
    ws = np.empty((ns, n))
    for t in range(n):
        q_hvac = np.where(hvac[t], h_on * (setpoint - temp),
                          0.5 * (np.clip(16.0 - temp, 0, None) - np.clip(temp - 28.0, 0, None)))
        q_srv = 1.5 * (p["server_setpoint"] - temp[SP["R4"]])  # dedicated 24/7 cooling of the server room
        d_t = k @ temp - kdeg * temp + k_out * (t_out[t] - temp) + q_hvac + 0.08 * occ[:, t] \
            + 0.6 * solar[t] * south + equip
        d_t[SP["R4"]] += q_srv
        d_w = k @ w - kdeg * w + k_out * (w_out[t] - w) + 0.06 * occ[:, t] + lab_moist * lab[t] \
            + np.where(hvac[t], 0.5 * (6.5 - w), 0.0)
        temp = temp + dt_h * d_t
        w = w + dt_h * d_w
        temps[:, t] = temp
        ws[:, t] = w
    p_sat = 6.112 * np.exp(17.62 * temps / (243.12 + temps))
    rh = 100.0 * ws / (622.0 * p_sat / (1013.25 - p_sat))

    out = np.empty((S, n))
    for i, s in enumerate(SENSORS):
        sp = SP[s["space"]]
        if s["kind"] == "temperature":
            out[i] = np.round(temps[sp] + rng.normal(0, 0.05, n), 2)
        elif s["kind"] == "humidity":
            out[i] = np.round(np.clip(rh[sp] + rng.normal(0, 0.3, n), 0, 100), 1)
    occ_total = occ.sum(0)
    vib = {
        "vib_ahu": 2.5 * ahu + 0.15 * lab + 0.05,
        "vib_lab": 3.0 * lab + 0.3 * ahu + 0.02 * occ[SP["R7"]] + 0.05,
        "vib_slab_c2": 0.4 * ahu + 0.5 * lab + 0.01 * occ_total + 0.05,
        "vib_server": 0.8 * server + 0.2 * ahu + 0.05,
    }
    for i, s in enumerate(SENSORS):
        if s["kind"] == "vibration":
            v = p["vibration_gain"] * vib[s["name"]] * np.exp(rng.normal(0, 0.08, n)) + rng.normal(0, 0.02, n)
            out[i] = np.round(np.clip(v, 0, None), 2)
    return out.astype(np.float32)


# ----------------------------------------------------------------------------- faults and encoding
def inject(raw, rng, stds, p_anomalous=0.6):
    """Inject faults into one clean window raw [S,T] (NaN = normal packet loss). Returns (raw, kind [S])."""
    raw = raw.copy()
    kind = np.zeros(S, np.int64)
    if rng.random() >= p_anomalous:
        return raw, kind
    n_faults = 1 if rng.random() < 0.75 else 2
    lo = np.array([s["range"][0] for s in SENSORS], np.float32)
    hi = np.array([s["range"][1] for s in SENSORS], np.float32)
    kinds_of = [s["kind"] for s in SENSORS]
    for _ in range(n_faults):
        free = np.flatnonzero(kind == 0)
        s = int(rng.choice(free))
        k = int(rng.integers(1, len(ANOMALY_KINDS)))
        std = stds[s]
        if k == 1:  # stuck at the last reading
            t0 = int(rng.integers(4, T - 12))
            length = int(rng.integers(12, T - t0 + 1))
            valid = np.flatnonzero(~np.isnan(raw[s, :t0 + 1]))
            if not len(valid):
                continue
            raw[s, t0:t0 + length] = raw[s, valid[-1]]
        elif k == 2:  # 1-3 short spikes
            sign = 1.0 if kinds_of[s] == "vibration" else rng.choice([-1.0, 1.0])
            for _ in range(int(rng.integers(1, 4))):
                t0 = int(rng.integers(0, T - 1))
                width = int(rng.integers(1, 3))
                raw[s, t0:t0 + width] += np.float32(sign * rng.uniform(0.5, 3.0) * std)
        elif k == 3:  # linear drift from t0 to the window end
            t0 = int(rng.integers(0, T // 2))
            amp = rng.uniform(0.5, 2.5) * std * rng.choice([-1.0, 1.0])
            raw[s, t0:] += (amp * np.arange(1, T - t0 + 1) / (T - t0)).astype(np.float32)
        elif k == 4:  # sustained dropout (sensor silent)
            length = T if rng.random() < 0.15 else int(rng.integers(8, 33))
            t0 = int(rng.integers(0, T - length + 1))
            raw[s, t0:t0 + length] = np.nan
        else:  # swapped with another sensor of the same kind, from t0 on
            others = [o for o in free if o != s and kinds_of[o] == kinds_of[s]]
            if not others:
                continue
            o = int(rng.choice(others))
            t0 = 0 if rng.random() < 0.5 else int(rng.integers(1, T // 2))
            raw[[s, o], t0:] = raw[[o, s], t0:]
            kind[o] = k
        kind[s] = k
        raw[s] = np.where(np.isnan(raw[s]), raw[s], np.clip(raw[s], lo[s], hi[s]))
    return raw, kind


def encode(raw, start_s, mean, std):
    """raw float32 [M,S,T] with NaN for missing, start_s int64 [M] -> model input float32 [M,S,T,4]."""
    mask = np.isnan(raw)
    m, s_, t_ = raw.shape
    filled = raw.copy()
    idx = np.where(~mask, np.arange(t_), 0)
    np.maximum.accumulate(idx, axis=2, out=idx)  # index of the last valid sample at or before t
    filled = np.take_along_axis(filled, idx, 2)
    first_valid = np.where(mask.all(2), 0, mask.argmin(2))
    first_val = np.take_along_axis(raw, first_valid[..., None], 2)
    lead = np.cumsum(~mask, axis=2) == 0  # before the first valid sample
    filled = np.where(lead, first_val, filled)
    filled = np.where(mask.all(2, keepdims=True), mean[None, :, None], filled)
    x = np.empty((m, s_, t_, C), np.float32)
    x[..., 0] = (filled.astype(np.float32) - mean[None, :, None]) / std[None, :, None]
    x[..., 1] = mask
    tod = (start_s[:, None].astype(np.int64) + PERIOD_S * np.arange(t_)[None, :]) % 86400
    ang = 2 * np.pi * tod / 86400.0
    x[..., 2] = np.sin(ang).astype(np.float32)[:, None, :]
    x[..., 3] = np.cos(ang).astype(np.float32)[:, None, :]
    return x


# ----------------------------------------------------------------------------- model
class STBlock(nn.Module):
    def __init__(self, h, dilation):
        super().__init__()
        self.tconv = nn.Conv2d(h, h, (1, 3), padding=(0, dilation), dilation=(1, dilation))
        self.bn1 = nn.BatchNorm2d(h)
        self.g_self = nn.Conv2d(h, h, 1)
        self.g_nbr = nn.Conv2d(h, h, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(h)

    def forward(self, h, adj):  # h [B,H,S,T]
        r = h
        h = F.relu(self.bn1(self.tconv(h)))
        nbr = torch.matmul(adj, h)  # graph convolution over the sensor axis: sum_j A_ij h_j
        return F.relu(self.bn2(self.g_self(h) + self.g_nbr(nbr)) + r)


class SensorSTGNN(nn.Module):
    """Temporal convolutions + GCN-normalized graph convolutions; per-sensor logit for the window."""

    def __init__(self, adj, hidden=16, dilations=(1, 2, 4, 8)):
        super().__init__()
        self.register_buffer("adj", torch.as_tensor(adj))
        self.inp = nn.Conv2d(C + 3, hidden, (1, 5), padding=(0, 2))
        self.node_emb = nn.Parameter(torch.zeros(1, hidden, adj.shape[0], 1))
        self.blocks = nn.ModuleList(STBlock(hidden, d) for d in dilations)
        self.head1 = nn.Conv1d(2 * hidden, hidden, 1)
        self.head2 = nn.Conv1d(hidden, 1, 1)

    def forward(self, x):  # x [B,S,T,C]
        x = x.permute(0, 3, 1, 2)  # [B,C,S,T]
        v = x[:, 0:1]
        d = F.pad(v[..., 1:] - v[..., :-1], (1, 0))
        # exactly repeated readings (a stuck sensor) among observed samples
        same = (d == 0).to(x.dtype) * (1.0 - x[:, 1:2])
        h = F.relu(self.inp(torch.cat([x, d, d.abs(), same], 1)) + self.node_emb)
        for blk in self.blocks:
            h = blk(h, self.adj)
        pooled = torch.cat([h.amax(3), h.mean(3)], 1)  # [B,2H,S]
        return self.head2(F.relu(self.head1(pooled))).squeeze(1)  # [B,S]


# ----------------------------------------------------------------------------- helpers
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


def windows(series, offset_steps, stride):
    starts = np.arange(0, series.shape[1] - T + 1, stride)
    raw = np.stack([series[:, s:s + T] for s in starts])
    return raw, (starts + offset_steps) * PERIOD_S


def make_split(raw_clean, start_s, draws, rng, stds, p_anomalous):
    raws, kinds, starts = [], [], []
    for _ in range(draws):
        for w, s0 in zip(raw_clean, start_s):
            r, k = inject(w, rng, stds, p_anomalous)
            raws.append(r)
            kinds.append(k)
            starts.append(s0)
    return np.stack(raws), np.stack(kinds), np.array(starts, np.int64)


# ----------------------------------------------------------------------------- out-of-distribution set
OOD_KINDS = ["other-plant", "unit-change", "miswired", "dead-network"]
OOD_KIND_DETAILS = {
    "other-plant": "another building simulated with the same sensor kinds: a warm humid plant (outdoor base 24 degC, "
                   "setpoint 24.5 degC, server room 24 degC, machinery vibrating 2.5x) or a cold dry one (outdoor "
                   "base -6 degC, setpoint 18 degC, server room 16 degC, 0.4x vibration), 14 days each",
    "unit-change": "a gateway reconfigured on some sensors: 3-12 temperature sensors in degF, or every humidity sensor "
                   "as a fraction (0-1) instead of %RH, or every vibration sensor in in/s instead of mm/s",
    "miswired": "4-22 sensors wired to other sensors' inputs (a random permutation of them, at least one reading "
                "landing on a sensor of another kind)",
    "dead-network": "every sensor flat at 0, or every sensor held at its first reading of the window, or pure noise "
                    "(uniform over each sensor's physical range)",
}
OTHER_PLANTS = [
    {"outdoor_base": 24.0, "outdoor_humidity": 12.0, "setpoint": 24.5, "server_setpoint": 24.0, "vibration_gain": 2.5},
    {"outdoor_base": -6.0, "outdoor_humidity": 2.5, "setpoint": 18.0, "server_setpoint": 16.0, "vibration_gain": 0.4},
]


def make_ood(test_windows, test_start, per_kind, seed_sequence):
    """Windows a deployed sensor-stgnn must not be trusted on, per_kind of each OOD_KINDS, from their own seed stream.

    test_windows: the recipe's test-period windows [M,S,T] (physical units, packet loss applied), test_start [M].
    Returns raw float32 [N,S,T] (NaN = missing), kind int64 [N] (index into OOD_KINDS), start_s int64 [N].
    """
    rng = np.random.Generator(np.random.PCG64(seed_sequence))
    lo = np.array([s["range"][0] for s in SENSORS], np.float32)
    hi = np.array([s["range"][1] for s in SENSORS], np.float32)
    kinds_of = np.array([s["kind"] for s in SENSORS])
    raws, kinds, starts = [], [], []

    def add(raw, k, start):
        raws.append(raw.astype(np.float32))
        kinds.append(k)
        starts.append(int(start))

    # (a) another plant: its own simulation, packet loss as in the recipe, windows at random offsets
    days = 14
    for i, plant in enumerate(OTHER_PLANTS):
        series = simulate(days, rng, plant)
        series[rng.random(series.shape) < 0.003] = np.nan
        n = per_kind // len(OTHER_PLANTS) + (1 if i < per_kind % len(OTHER_PLANTS) else 0)
        for t0 in np.sort(rng.choice(series.shape[1] - T + 1, size=n, replace=False)):
            add(series[:, t0:t0 + T], 0, t0 * PERIOD_S)
    pick = lambda: int(rng.integers(len(test_windows)))  # noqa: E731

    # (b) unit change on some sensors
    temps = np.flatnonzero(kinds_of == "temperature")
    for _ in range(per_kind):
        w = pick()
        raw = test_windows[w].astype(np.float64)
        mode = int(rng.integers(3))
        if mode == 0:
            sel = rng.choice(temps, size=int(rng.integers(3, len(temps) + 1)), replace=False)
            raw[sel] = raw[sel] * 9.0 / 5.0 + 32.0
        elif mode == 1:
            raw[kinds_of == "humidity"] /= 100.0
        else:
            raw[kinds_of == "vibration"] /= 25.4
        add(np.round(raw, 3), 1, test_start[w])

    # (c) sensors wired to the wrong inputs
    for _ in range(per_kind):
        w = pick()
        raw = test_windows[w].copy()
        while True:
            sel = rng.choice(S, size=int(rng.integers(4, S + 1)), replace=False)
            perm = rng.permutation(sel)
            if (kinds_of[sel] != kinds_of[perm]).any():
                break
        raw[sel] = test_windows[w][perm]
        add(raw, 2, test_start[w])

    # (d) a dead network
    for _ in range(per_kind):
        w = pick()
        mode = int(rng.integers(3))
        if mode == 0:
            raw = np.zeros((S, T), np.float32)
        elif mode == 1:
            first = test_windows[w][:, 0]
            first = np.where(np.isnan(first), np.nanmean(test_windows[w], axis=1), first)
            raw = np.repeat(first[:, None], T, axis=1)
        else:
            raw = np.round(rng.uniform(lo[:, None], hi[:, None], size=(S, T)), 2)
        add(raw, 3, test_start[w])
    return np.stack(raws), np.array(kinds, np.int64), np.array(starts, np.int64)


def save_ood(out, raw, kind, start):
    """data/ood.npz: raw, mask (as the splits), kind [N] into kind_names (UTF-8 bytes, one name a line), start_s."""
    path = os.path.join(out, "data", "ood.npz")
    names = np.frombuffer("\n".join(OOD_KINDS).encode(), np.uint8)
    np.savez_compressed(path, raw=raw, mask=np.isnan(raw).astype(np.uint8), kind=kind, start_s=start, kind_names=names)
    return path


def ood_card(path):
    return {"file": "data/ood.npz", "sha256": sha256(path), "bytes": os.path.getsize(path), "kinds": OOD_KINDS,
            "kindDetails": OOD_KIND_DETAILS, "arrays": {
                "raw": "float32 [N,22,64] physical units, NaN = missing", "mask": "uint8 [N,22,64]",
                "kind": "int64 [N] index into kind_names", "kind_names": "uint8: UTF-8, one OOD kind name a line",
                "start_s": "int64 [N] seconds since 2024-01-01T00:00 local of sample 0"},
            "seedStream": "np.random.SeedSequence(4321).spawn(7)[6]", "command": "models/training/sensor_stgnn.py --ood-only"}


def update_spec_ood(out, card):
    """--ood-only: the spec's dataset card gains the OOD set (write-temp + fsync + rename), nothing else changes."""
    spec_path = os.path.join(out, "manifest-spec.json")
    spec = json.load(open(spec_path))
    spec["dataset"]["files"]["data/ood.npz"] = card["sha256"]
    spec["dataset"].setdefault("fileBytes", {})["data/ood.npz"] = card["bytes"]
    spec["dataset"]["ood"] = {k: v for k, v in card.items() if k not in ("sha256", "bytes")}
    temp = spec_path + ".tmp"
    with open(temp, "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, spec_path)


def scores_of(model, x, batch=256):
    model.eval()
    with torch.no_grad():
        return torch.cat([model(torch.from_numpy(x[i:i + batch])) for i in range(0, len(x), batch)]).numpy()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sensor-stgnn"))
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--hidden", type=int, default=16)
    ap.add_argument("--train-stride", type=int, default=8, help="window stride in the training period (samples)")
    ap.add_argument("--train-windows-per-epoch", type=int, default=1500,
                    help="random subset of the training windows drawn (with fresh faults) every epoch")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--target-far", type=float, default=0.01, help="per-sensor false-alarm rate on validation")
    ap.add_argument("--ship-test", type=int, default=320)
    ap.add_argument("--ship-validation", type=int, default=160)
    ap.add_argument("--ood-per-kind", type=int, default=80, help="windows of each out-of-distribution kind")
    ap.add_argument("--ood-only", action="store_true",
                    help="only (re)write data/ood.npz and its entry in manifest-spec.json's dataset card (no training)")
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    t_start = time.time()
    timings = {}
    torch.manual_seed(SEED)
    # spawn(7)'s first six children are spawn(6)'s: the OOD set's own stream leaves the other six as they were
    ss_sim, ss_loss, ss_train, ss_val, ss_test, ss_ship, ss_ood = np.random.SeedSequence(SEED).spawn(7)

    # ---- simulate one continuous period: train, then validation, then test
    t = time.time()
    total_days = sum(DAYS.values())
    clean = simulate(total_days, np.random.Generator(np.random.PCG64(ss_sim)))
    # normal packet loss: isolated missing samples, 0.3 % of readings (not an anomaly)
    loss_rng = np.random.Generator(np.random.PCG64(ss_loss))
    observed = clean.copy()
    observed[loss_rng.random(observed.shape) < 0.003] = np.nan
    bounds = np.cumsum([0] + [DAYS[k] * STEPS_PER_DAY for k in ("train", "validation", "test")])
    seg = {k: (bounds[i], bounds[i + 1]) for i, k in enumerate(("train", "validation", "test"))}
    tr = clean[:, seg["train"][0]:seg["train"][1]]
    mean = tr.mean(1).astype(np.float32)
    std = tr.std(1).astype(np.float32)
    timings["simulate_s"] = round(time.time() - t, 1)
    print(f"simulated {total_days} days x {S} sensors in {timings['simulate_s']}s", flush=True)

    edges = sensor_edges()
    adj = normalized_adjacency(edges)

    tr_raw, tr_start = windows(observed[:, slice(*seg["train"])], seg["train"][0], args.train_stride)
    va_raw0, va_start0 = windows(observed[:, slice(*seg["validation"])], seg["validation"][0], 8)
    te_raw0, te_start0 = windows(observed[:, slice(*seg["test"])], seg["test"][0], 8)
    va_raw, va_kind, va_start = make_split(va_raw0, va_start0, 2, np.random.Generator(np.random.PCG64(ss_val)), std, 0.5)
    te_raw, te_kind, te_start = make_split(te_raw0, te_start0, 2, np.random.Generator(np.random.PCG64(ss_test)), std, 0.5)
    x_va = encode(va_raw, va_start, mean, std)
    x_te = encode(te_raw, te_start, mean, std)
    ood_path = save_ood(out, *make_ood(te_raw0, te_start0, args.ood_per_kind, ss_ood))
    print(f"ood: {4 * args.ood_per_kind} windows ({', '.join(OOD_KINDS)}), {os.path.getsize(ood_path)} bytes, sha256 {sha256(ood_path)}", flush=True)
    if args.ood_only:
        update_spec_ood(out, ood_card(ood_path))
        return 0
    print(f"windows: train {len(tr_raw)} (a random {args.train_windows_per_epoch} with fresh faults every epoch), validation {len(va_raw)}, test {len(te_raw)}",
          flush=True)

    # ---- train
    model = SensorSTGNN(adj, hidden=args.hidden)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-4)
    per_epoch = min(args.train_windows_per_epoch, len(tr_raw))
    steps = per_epoch // args.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * steps, pct_start=0.1)
    gen = torch.Generator().manual_seed(SEED)
    inj_rng = np.random.Generator(np.random.PCG64(ss_train))
    history = []
    t = time.time()
    for epoch in range(args.epochs):
        pick = np.sort(inj_rng.choice(len(tr_raw), size=per_epoch, replace=False))
        raws, kinds, starts = make_split(tr_raw[pick], tr_start[pick], 1, inj_rng, std, 0.6)
        x_tr = torch.from_numpy(encode(raws, starts, mean, std))
        y_tr = torch.from_numpy((kinds > 0).astype(np.float32))
        perm = torch.randperm(len(x_tr), generator=gen)
        model.train()
        loss_sum = 0.0
        for s in range(steps):
            bi = perm[s * args.batch:(s + 1) * args.batch]
            logits = model(x_tr[bi])
            loss = F.binary_cross_entropy_with_logits(logits, y_tr[bi], pos_weight=torch.tensor(3.0))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item()
        sv = scores_of(model, x_va[:400])  # quick monitor on the first 400 validation windows
        lab = va_kind[:400] > 0
        # quick validation figure: detection at the global 1 % false-alarm threshold
        thr = np.quantile(sv[~lab], 1 - args.target_far)
        history.append({"epoch": epoch + 1, "train_loss": round(loss_sum / steps, 4),
                        "val400_detection_at_1pct_far": round(float((sv[lab] > thr).mean()), 4),
                        "elapsed_s": round(time.time() - t, 1)})
        print(history[-1], flush=True)
    timings["train_s"] = round(time.time() - t, 1)
    model.eval()

    # ---- thresholds on validation (per sensor, on the sensor-windows without a fault)
    sv = scores_of(model, x_va)
    thresholds = np.array([np.quantile(sv[va_kind[:, s] == 0, s], 1 - args.target_far) for s in range(S)],
                          np.float32)

    # ---- test
    st = scores_of(model, x_te)
    alarm = st > thresholds[None, :]
    normal = te_kind == 0
    clean_windows = (te_kind == 0).all(1)
    per_kind = {}
    for k in range(1, len(ANOMALY_KINDS)):
        m = te_kind == k
        per_kind[ANOMALY_KINDS[k]] = {"detection_rate": round(float(alarm[m].mean()), 4), "count": int(m.sum())}
    far_all = float(alarm[normal].mean())
    far_clean = float(alarm[clean_windows].mean())
    win_far = float(alarm[clean_windows].any(1).mean())
    per_sensor_far = {SENSORS[s]["name"]: round(float(alarm[normal[:, s], s].mean()), 4) for s in range(S)}
    per_sensor_det = {SENSORS[s]["name"]: round(float(alarm[~normal[:, s], s].mean()), 4) for s in range(S)}
    overall_det = float(alarm[~normal].mean())
    print("test per-kind detection", per_kind, flush=True)
    print(f"test false-alarm rate per sensor-window {far_all:.4f} (clean windows {far_clean:.4f}), "
          f"clean windows with any alarm {win_far:.4f}; overall detection {overall_det:.4f}", flush=True)

    torch.save(model.state_dict(), os.path.join(out, "model.pt"))  # for fine-tuning / QAT later
    # ---- export
    t = time.time()
    import onnx
    from onnx import shape_inference
    onnx_path = os.path.join(out, "model.onnx")
    torch.onnx.export(model, (torch.from_numpy(x_te[:2]),), onnx_path, opset_version=17,
                      input_names=["x"], output_names=["scores"],
                      dynamic_axes={"x": {0: "B"}, "scores": {0: "B"}}, do_constant_folding=True)
    proto = onnx.load(onnx_path)
    onnx.checker.check_model(proto, full_check=True)
    inferred = shape_inference.infer_shapes(proto, check_type=True, strict_mode=True)
    hist = op_histogram(proto)

    def shape_of(vi):
        return [d.dim_param if d.dim_param else d.dim_value for d in vi.type.tensor_type.shape.dim]

    def dtype_of(vi):
        return np.dtype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[vi.type.tensor_type.elem_type]).name

    io = {"inputs": [{"name": v.name, "dtype": dtype_of(v), "shape": shape_of(v)} for v in inferred.graph.input],
          "outputs": [{"name": v.name, "dtype": dtype_of(v), "shape": shape_of(v)} for v in inferred.graph.output]}
    timings["export_s"] = round(time.time() - t, 1)
    print("ONNX io", io, "\nop histogram", hist, flush=True)

    # ---- shipped data: raw windows (physical units, NaN = missing), mask, labels, kinds
    ship_rng = np.random.Generator(np.random.PCG64(ss_ship))

    def save_split(name, raw, kind, start, count):
        sel = np.sort(ship_rng.choice(len(raw), size=min(count, len(raw)), replace=False))
        path = os.path.join(out, "data", name)
        np.savez_compressed(path, raw=raw[sel].astype(np.float32), mask=np.isnan(raw[sel]).astype(np.uint8),
                            label=(kind[sel] > 0).astype(np.int64), kind=kind[sel].astype(np.int64),
                            start_s=start[sel].astype(np.int64))
        return path, sel

    te_path, te_sel = save_split("test.npz", te_raw, te_kind, te_start, args.ship_test)
    va_path, _ = save_split("validation.npz", va_raw, va_kind, va_start, args.ship_validation)
    ship_alarm = alarm[te_sel]
    ship_kind = te_kind[te_sel]
    shipped = {"far": round(float(ship_alarm[ship_kind == 0].mean()), 4),
               "detection": round(float(ship_alarm[ship_kind > 0].mean()), 4), "windows": int(len(te_sel))}

    # ---- reference: 8 shipped test windows with faults of every kind when possible
    order = []
    for k in range(1, len(ANOMALY_KINDS)):  # one window per fault kind, then one more faulty, then 2 clean
        order.append(next(i for i in range(len(te_sel)) if (te_kind[te_sel[i]] == k).any() and i not in order))
    order.append(next(i for i in range(len(te_sel)) if (te_kind[te_sel[i]] > 0).any() and i not in order))
    order += [i for i in range(len(te_sel)) if (te_kind[te_sel[i]] == 0).all()][:2]
    ref = te_sel[np.array(order)]
    x_ref = encode(te_raw[ref], te_start[ref], mean, std)
    with torch.no_grad():
        s_ref = model(torch.from_numpy(x_ref)).numpy()
        single = np.concatenate([model(torch.from_numpy(x_ref[i:i + 1])).numpy() for i in range(len(ref))])
    ref_path = os.path.join(out, "reference.npz")
    np.savez_compressed(ref_path, raw=te_raw[ref], mask=np.isnan(te_raw[ref]).astype(np.uint8),
                        start_s=te_start[ref], kind=te_kind[ref], x=x_ref, scores=s_ref)
    rr = np.load(ref_path)
    with torch.no_grad():
        rerun = float(np.abs(model(torch.from_numpy(rr["x"])).numpy() - rr["scores"]).max())
    enc_diff = float(np.abs(encode(rr["raw"], rr["start_s"], mean, std) - rr["x"]).max())

    sensors = [dict(s, index=i, mean=float(mean[i]), std=float(std[i]), threshold=float(thresholds[i]))
               for i, s in enumerate(SENSORS)]
    report = {
        "model": "sensor-stgnn", "version": "1.0.0",
        "test": {"windows": int(len(te_raw)), "sensor_windows_normal": int(normal.sum()),
                 "per_kind": per_kind, "overall_detection_rate": round(overall_det, 4),
                 "false_alarm_rate_per_sensor_window": round(far_all, 4),
                 "false_alarm_rate_in_clean_windows": round(far_clean, 4),
                 "clean_windows_with_any_alarm": round(win_far, 4),
                 "per_sensor_false_alarm_rate": per_sensor_far, "per_sensor_detection_rate": per_sensor_det,
                 "shipped_subset": shipped},
        "thresholds": {"target_false_alarm_rate": args.target_far, "per_sensor_logit":
                       {SENSORS[s]["name"]: round(float(thresholds[s]), 4) for s in range(S)},
                       "chosen_on": f"validation, {len(va_raw)} windows, sensor-windows without a fault"},
        "epochs": args.epochs, "history": history, "train_windows": int(len(tr_raw)), "train_windows_per_epoch": per_epoch,
        "optimizer": f"Adam(lr={args.lr}, weight_decay=1e-4), OneCycle, BCE pos_weight 3",
        "hidden": args.hidden, "parameters": int(sum(p.numel() for p in model.parameters())), "seed": SEED,
        "torch": torch.__version__, "threads": torch.get_num_threads(),
        "timings_s": timings, "total_wall_s": round(time.time() - t_start, 1),
        "onnx": {"opset": 17, "io": io, "op_histogram": hist,
                 "checker": "onnx.checker.check_model(full_check=True) ok", "size_bytes": os.path.getsize(onnx_path)},
        "reference_check": {"rerun_max_abs_diff": rerun, "batch_vs_single_max_abs_diff":
                            float(np.abs(single - s_ref).max()), "encode_rerun_max_abs_diff": enc_diff},
    }
    with open(os.path.join(out, "training-report.json"), "w") as f:
        json.dump(report, f, indent=2)

    manifest = {
        "name": "sensor-stgnn", "version": "1.0.0", "task": "sensor-graph-anomaly",
        "model_file": "model.onnx", "opset": 17,
        "inputs": [{"name": "x", "dtype": "float32", "shape": ["B", S, T, C],
                    "layout": "[batch, sensor, time, channel]",
                    "channels": ["value_normalized", "missing_mask", "time_of_day_sin", "time_of_day_cos"]}],
        "outputs": [{"name": "scores", "dtype": "float32", "shape": ["B", S],
                     "description": "per-sensor anomaly logit for the window; anomalous when > threshold"}],
        "window": {"length": T, "sampling_period_s": PERIOD_S, "stride_used_in_evaluation": 8},
        "encoding": {
            "missing": "NaN in the raw window; mask = 1.0 where missing, else 0.0",
            "imputation": "forward fill with the last valid sample in the window; leading missing samples take "
                          "the first valid sample; a sensor with no valid sample in the window takes its mean",
            "value": "float32 (filled - mean[s]) / std[s]",
            "time_of_day": "tod = (start_s + 300 * t) mod 86400 with start_s = seconds since a local midnight "
                           "(the data's epoch is 2024-01-01T00:00 local, a Monday); channel 2 = sin(2*pi*tod/86400), "
                           "channel 3 = cos(2*pi*tod/86400)",
            "normalization_in_model": False,
        },
        "sensors": sensors,
        "graph": {
            "node": "one sensor with one reading",
            "edges": [[SENSORS[i]["name"], SENSORS[j]["name"]] for i, j in edges],
            "edge_rule": "co-located sensors; temperature-temperature and humidity-humidity between adjacent "
                         "spaces (wall or door); vibration sensors linked through the floor slab",
            "adjacency": "constant inside the model: D^-1/2 (A + I) D^-1/2 (GCN normalization), float32 [22,22]",
            "spaces": SPACES, "space_adjacency": {"walls": WALLS, "doors": DOORS},
        },
        "normalization": {"per_sensor": True, "computed_on": "training split (clean readings)",
                          "mean": [float(v) for v in mean], "std": [float(v) for v in std]},
        "thresholds": {"kind": "per-sensor logit", "target_false_alarm_rate": args.target_far,
                       "values": [float(v) for v in thresholds]},
        "anomaly_kinds": ANOMALY_KINDS,
        "anomaly_kind_details": {
            "stuck": "reading frozen at the last valid value for >= 12 samples",
            "spike": "1-3 spikes of 1-2 samples, amplitude 0.5-3 x std[s] (vibration: upwards only)",
            "drift": "linear offset from t0 in [0,32) reaching 0.5-2.5 x std[s] at the window end",
            "dropout": "8-32 consecutive missing samples, or the whole window (15 %)",
            "swap": "two sensors of the same kind exchange readings from t0 (0 in half of the cases); both labelled",
            "normal": "no fault; isolated missing samples (0.3 % packet loss) are normal",
        },
        "dataset": {
            "name": "geoedge-simulated-office-floor",
            "generator": "models/training/sensor_stgnn.py",
            "seed": SEED,
            "days": DAYS,
            "sizes": {"train_windows": int(len(tr_raw)), "train_windows_per_epoch": per_epoch, "validation_windows": int(len(va_raw)),
                      "test_windows": int(len(te_raw)), "test_shipped": int(len(te_sel)),
                      "validation_shipped": int(min(args.ship_validation, len(va_raw)))},
            "npz_arrays": {"raw": "float32 [M,22,64] physical units, NaN = missing", "mask": "uint8 [M,22,64]",
                           "label": "int64 [M,22] 1 = faulty sensor", "kind": "int64 [M,22] index into anomaly_kinds",
                           "start_s": "int64 [M] seconds since 2024-01-01T00:00 local of sample 0"},
            "licence": "CC0-1.0 (procedurally generated)",
            "files": {"data/test.npz": {"sha256": sha256(te_path), "bytes": os.path.getsize(te_path)},
                      "data/validation.npz": {"sha256": sha256(va_path), "bytes": os.path.getsize(va_path)},
                      "data/ood.npz": {"sha256": sha256(ood_path), "bytes": os.path.getsize(ood_path)}},
            "ood": {k: v for k, v in ood_card(ood_path).items() if k not in ("sha256", "bytes")},
        },
        "training": {"epochs": args.epochs, "per_kind_detection": {k: v["detection_rate"] for k, v in per_kind.items()},
                     "false_alarm_rate": round(far_all, 4), "report": "training-report.json"},
        "reference": {"file": "reference.npz", "arrays": ["raw", "mask", "start_s", "kind", "x", "scores"]},
    }
    with open(os.path.join(out, "manifest-spec.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    print(json.dumps({"per_kind": per_kind, "far": far_all, "timings_s": timings,
                      "total_wall_s": report["total_wall_s"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
