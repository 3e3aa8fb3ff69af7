#!/usr/bin/python3
"""Footprint of the published AOT `geoedge` device service (issue 4 part 8): a benchmark, not a test.

Measures, on device-configs/dev-x64.json (both shipped models, replaying the shipped samples):
  - binary size of artifacts/linux-x64/geoedge (libonnxruntime.so reported separately),
  - cold start: exec -> READY=1 on a real NOTIFY_SOCKET (models verified, loaded, warmed), median of --starts runs,
    each with a fresh state directory (first start: install + activate) and again with the store already filled,
  - idle RSS right after READY=1 (VmRSS from /proc/PID/status),
  - RSS after --minutes of replay with both pipelines at --rate Hz, and VmHWM,
  - CPU per inference: (utime + stime) over the run / inferences counted in the events log.

usage: /usr/bin/python3 bench/footprint.py [--minutes 10] [--rate 10] [--starts 5]
Run ./build.sh publish first.
"""
import argparse, json, os, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "artifacts/linux-x64/geoedge")
CLK = os.sysconf("SC_CLK_TCK")


def config(state, rate):
    with open(os.path.join(ROOT, "device-configs/dev-x64.json")) as f:
        c = json.load(f)
    base = os.path.join(ROOT, "device-configs")
    c["stateDirectory"] = state
    c["trustedKeys"] = [os.path.normpath(os.path.join(base, k)) for k in c["trustedKeys"]]
    for m in c["models"]:
        m["bundle"] = os.path.normpath(os.path.join(base, m["bundle"]))
    for p in c["pipelines"]:
        p["source"]["path"] = os.path.normpath(os.path.join(base, p["source"]["path"]))
        p["source"]["rateHz"] = rate
    c["diagnostics"]["url"] = "http://127.0.0.1:0"
    path = os.path.join(state, "..", "device.json")
    with open(path, "w") as f:
        json.dump(c, f)
    return os.path.abspath(path)


def status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


def start(cfg, sock_path):
    env = dict(os.environ, NOTIFY_SOCKET=sock_path)
    t0 = time.perf_counter()
    proc = subprocess.Popen([BIN, "run", "--config", cfg], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, t0


def wait_ready(sock, proc, t0):
    sock.settimeout(120)
    while True:
        msg = sock.recv(4096).decode()
        if "READY=1" in msg.split("\n"):
            return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--rate", type=float, default=10)
    ap.add_argument("--starts", type=int, default=5)
    a = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit("run ./build.sh publish first")
    size = os.path.getsize(BIN)
    ort = os.path.getsize(os.path.join(os.path.dirname(BIN), "libonnxruntime.so"))
    print(f"binary: geoedge {size / 2**20:.1f} MiB (libonnxruntime.so {ort / 2**20:.1f} MiB beside it)")

    with tempfile.TemporaryDirectory() as tmp:
        sock_path = os.path.join(tmp, "notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(sock_path)
        first, warm = [], []
        for i in range(a.starts):
            state = os.path.join(tmp, f"state{i}")
            os.makedirs(state)
            cfg = config(state, a.rate)
            for bucket in (first, warm):
                proc, t0 = start(cfg, sock_path)
                bucket.append(wait_ready(sock, proc, t0))
                proc.terminate()
                proc.wait()
        print(f"cold start to READY=1 (median of {a.starts}): first start (install+activate) {statistics.median(first) * 1000:.0f} ms, "
              f"store filled {statistics.median(warm) * 1000:.0f} ms  [min {min(warm) * 1000:.0f} ms]")

        state = os.path.join(tmp, "steady")
        os.makedirs(state)
        cfg = config(state, a.rate)
        proc, t0 = start(cfg, sock_path)
        wait_ready(sock, proc, t0)
        time.sleep(1)
        idle = status(proc.pid, "VmRSS")
        cpu0 = cpu_seconds(proc.pid)
        events = os.path.join(state, "events.jsonl")
        n0 = sum(1 for _ in open(events)) if os.path.exists(events) else 0
        time.sleep(a.minutes * 60)
        rss = status(proc.pid, "VmRSS")
        hwm = status(proc.pid, "VmHWM")
        cpu = cpu_seconds(proc.pid) - cpu0
        n = sum(1 for _ in open(events)) - n0
        proc.terminate()
        proc.wait()
        print(f"RSS: after READY=1 {idle / 2**20:.1f} MiB; after {a.minutes:g} min of replay at {a.rate:g} Hz x 2 pipelines "
              f"{rss / 2**20:.1f} MiB (peak {hwm / 2**20:.1f} MiB)")
        print(f"CPU: {cpu:.2f} s for {n} results = {cpu / max(n, 1) * 1000:.2f} ms CPU per inference "
              f"(both pipelines, incl. replay IO and sinks; load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
