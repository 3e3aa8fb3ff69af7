#!/usr/bin/python3
"""Writes the shipped replay recording of sensor-stgnn: samples/recording.csv and samples/recording-labels.csv.

Source: data/test.npz, windows of 64 samples at 300 s ('raw' [320,22,64] float32, NaN = missing; 'label'
[320,22] 1 = faulty sensor in that window; 'kind' [320,22] index into the manifest's anomalyKinds;
'start_s' [320] seconds since 2024-01-01T00:00 local of sample 0). Test windows overlap and each carries
its own injected faults, so overlapping windows disagree; the recording therefore strings together
non-overlapping windows: it starts at the longest run of back-to-back windows (each starting where the
previous ended) and keeps taking the next window that starts at or after the end of the last one, until
8 windows (512 samples) are in. Time between chosen windows (if any) is written as rows with every cell
empty, keeping the 300 s grid.

recording.csv is the wide format SensorCsvReplay reads: header 'time,<sensor>...' with the sensor names of
bundle/manifest.json preprocessing.sensors[] in index order; time is ISO-8601 local clock time without an
offset (the data's clock; GeoEdge reads an offset-less time as that clock time); an empty cell is a missing
sample. recording-labels.csv lists every (window, sensor) the data labels faulty: window start and end time,
sensor, anomaly kind.

Run from the repository root:  /usr/bin/python3 models/sensor-stgnn/samples/make_samples.py
"""
import datetime
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.dirname(HERE)
WINDOWS = 8
STEP = 300
EPOCH = datetime.datetime(2024, 1, 1)


def iso(seconds):
    return (EPOCH + datetime.timedelta(seconds=int(seconds))).isoformat()


def atomic_write(path, text):
    temp = path + ".tmp"
    with open(temp, "w", newline="\n") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, path)


def choose_windows(start, length):
    order = sorted(range(len(start)), key=lambda w: (start[w], w))
    starts = {}
    for w in order:
        starts.setdefault(int(start[w]), w)
    best_first, best_len = None, 0
    for s in sorted(starts):
        n = 1
        while s + n * length in starts:
            n += 1
        if n > best_len:
            best_first, best_len = s, n
    chosen, end = [], best_first
    for w in order:
        if len(chosen) == WINDOWS:
            break
        if start[w] >= end:
            chosen.append(w)
            end = int(start[w]) + length
    return chosen


def main():
    manifest = json.load(open(os.path.join(MODEL, "bundle", "manifest.json")))
    sensors = sorted(manifest["preprocessing"]["sensors"], key=lambda s: s["index"])
    names = [s["name"] for s in sensors]
    kinds = manifest["dataset"]["anomalyKinds"]
    data = np.load(os.path.join(MODEL, "data", "test.npz"))
    raw, label, kind, start = data["raw"], data["label"], data["kind"], data["start_s"]
    assert raw.shape[1] == len(names), (raw.shape, len(names))
    length = raw.shape[2] * STEP

    rows = ["time," + ",".join(names)]
    faults = ["window_start,window_end,sensor,kind"]
    t = None
    for w in choose_windows(start, length):
        if t is not None:
            while t < start[w]:
                rows.append(iso(t) + "," * len(names))
                t += STEP
        for k in range(raw.shape[2]):
            cells = ["" if np.isnan(v) else format(float(v), ".7g") for v in raw[w, :, k]]
            rows.append(iso(start[w] + STEP * k) + "," + ",".join(cells))
        t = int(start[w]) + length
        for s in np.flatnonzero(label[w]):
            faults.append(f"{iso(start[w])},{iso(start[w] + length - STEP)},{names[s]},{kinds[kind[w, s]]}")

    atomic_write(os.path.join(HERE, "recording.csv"), "\n".join(rows) + "\n")
    atomic_write(os.path.join(HERE, "recording-labels.csv"), "\n".join(faults) + "\n")
    print(f"recording.csv: {len(rows) - 1} rows x {len(names)} sensors, {rows[1][:19]} .. {rows[-1][:19]}")
    print(f"recording-labels.csv: {len(faults) - 1} faulty (window, sensor) pairs")


if __name__ == "__main__":
    main()
