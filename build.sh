#!/usr/bin/env bash
# GeoEdge build entry point. Subcommands:
#   run [--seconds N]   publish geoedge and the fleet server; start the fleet server (SQLite, data in .run/fleet) with
#                       the shipped bundles registered and the device service enrolled in it (dev-x64 + a fleet section)
#   rollout MODEL VER   pack MODEL VER from the shipped bundle (dev key), upload it to the running fleet, start a staged rollout
#   test                install what is missing, build everything, run every test (what CI runs)
#   bench [args]        BenchmarkDotNet suite (args go to BenchmarkSwitcher, e.g. --filter '*Knn*')
#   bench-fleet [args]  fleet simulator: the real fleet server + N simulated agents on 127.0.0.1 (default --devices 1000
#                       --minutes 5 --db sqlite; --db postgres starts a private cluster); exits 1 if a metrics window is
#                       lost or duplicated (bench/GeoEdge.FleetSimulator)
#   compare             side-by-side comparison with Open3D / SciPy (bench/compare_geometry.py)
#   compare-torch       shipped models end to end vs PyTorch eager (bench/compare_torch.py)
#   publish [RID]       Native AOT geoedge into artifacts/RID/ and artifacts/geoedge-RID.tar.gz (default linux-x64;
#                       linux-arm64 cross-compiles on x64)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\033[1m[build]\033[0m %s\n' "$*"; }
die() { printf '[build] error: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
APT_UPDATED=0
# Installs the Debian packages that are missing; installs nothing when all are present.
need_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing packages ${missing[*]} and no apt-get to install them"
  log "installing ${missing[*]}"
  if [ $APT_UPDATED = 0 ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

need_dotnet() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is required: https://dot.net"
}

# Native AOT links with clang and needs zlib's headers.
# Cross-compiling (linux-arm64 on x64, linux-x64 on arm64): clang links with --target=<triple> through the cross
# binutils' ld.bfd (the ILCompiler's default LinkerFlavor on Linux), gcc-<triple> brings crt*.o and libgcc, the
# libc6-dev-*-cross package the C library, and llvm's llvm-objcopy strips symbols for any architecture. zlib is not
# needed for the target: .NET 10 links its own zlib-ng into System.IO.Compression.Native.
need_aot_toolchain() {
  local rid=${1:-linux-x64}
  need_apt clang zlib1g-dev
  case "$rid:$(uname -m)" in
    linux-arm64:x86_64) need_apt llvm binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross ;;
    linux-x64:aarch64) need_apt llvm binutils-x86-64-linux-gnu gcc-x86-64-linux-gnu libc6-dev-amd64-cross ;;
    linux-x64:x86_64|linux-arm64:aarch64) ;;
    *) die "cannot build $rid on $(uname -m) (linux-x64 and linux-arm64 only)" ;;
  esac
}

publish() {
  local rid=${1:-linux-x64}
  need_dotnet; need_aot_toolchain "$rid"
  local out="$ROOT/artifacts/$rid"
  log "publishing geoedge (Native AOT, $rid) to $out"
  local logf; logf=$(mktemp)
  rm -f "$out/geoedge" # a failed publish must not leave the last good binary looking like this one
  dotnet publish src/GeoEdge.Host/GeoEdge.Host.csproj -c Release -r "$rid" -o "$out" \
    -p:TreatWarningsAsErrors=true 2>&1 | tee "$logf" | grep -E "warning|error|->" || true
  if ! [ -x "$out/geoedge" ]; then die "publish failed (see $logf)"; fi
  # Zero trim/AOT warnings from our code. Allowed, by name only: two third-party assemblies the I2C/GPIO drivers need
  # (UnitsNet's reflection over its own conversion methods, System.Device.Gpio's Marshal.PtrToStructure<T>); the AOT
  # binary reads the simulated BME280/MPU-6050/ADS1115 exactly as the JIT build does.
  if grep -E "warning (IL|AOT)[0-9]+" "$logf" | grep -vE "/(UnitsNet|System\.Device\.Gpio)\.dll : warning IL2104:" | grep -q .; then
    die "AOT/trim warnings in publish (see $logf)"
  fi
  rm -f "$logf"
  [ -f "$out/libonnxruntime.so" ] || die "publish left no libonnxruntime.so beside geoedge"
  ! ls "$out"/*.dll >/dev/null 2>&1 || die "Windows DLLs in a Linux publish: $(ls "$out"/*.dll)"
  log "geoedge: $(du -h "$out/geoedge" | cut -f1)"
  package "$rid"
}

# artifacts/geoedge-RID.tar.gz: what a device needs, under geoedge-RID/: the binary, its native libraries, the systemd
# unit, udev rule and install script (deploy/), and the board configs. Sorted, root-owned, dated by the last commit, so
# the same tree packs to the same bytes.
package() {
  local rid=$1 name="geoedge-$1"
  local stage; stage=$(mktemp -d)
  mkdir -p "$stage/$name/deploy"
  cp "$ROOT/artifacts/$rid/geoedge" "$ROOT/artifacts/$rid/"*.so "$stage/$name/"
  cp deploy/geoedge.service deploy/60-geoedge.rules deploy/install.sh "$stage/$name/deploy/"
  if ls device-configs/*.json >/dev/null 2>&1; then
    mkdir -p "$stage/$name/device-configs"
    cp device-configs/*.json "$stage/$name/device-configs/"
  fi
  local mtime; mtime=$(git log -1 --format=%ct 2>/dev/null || echo 0)
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -C "$stage" -cf - "$name" \
    | gzip -n > "$ROOT/artifacts/$name.tar.gz"
  rm -rf "$stage"
  log "packed artifacts/$name.tar.gz ($(du -h "$ROOT/artifacts/$name.tar.gz" | cut -f1))"
}

# The published binary must do what the managed build does: same bytes out for the same file in.
aot_smoke() {
  local bin="$ROOT/artifacts/linux-x64/geoedge"
  local tmp; tmp=$(mktemp -d)
  log "AOT smoke test: $bin"
  "$bin" version
  local f
  for f in tests/fixtures/pcl/*.pcd tests/fixtures/pcl/*.ply tests/fixtures/open3d/*.pcd tests/fixtures/open3d/*.ply; do
    [ -e "$f" ] || continue
    "$bin" cloud inspect "$f" --json > "$tmp/aot.json"
    dotnet "src/GeoEdge.Host/bin/Release/net10.0/geoedge.dll" cloud inspect "$f" --json > "$tmp/jit.json"
    cmp -s "$tmp/aot.json" "$tmp/jit.json" || die "AOT and JIT inspect differ on $f"
  done
  local sample=tests/fixtures/open3d/bunny_like_ascii.ply
  [ -e "$sample" ] || sample=$(ls tests/fixtures/pcl/*.pcd | head -1)
  "$bin" cloud knn "$sample" --k 8 --out "$tmp/aot.npy"
  dotnet "src/GeoEdge.Host/bin/Release/net10.0/geoedge.dll" cloud knn "$sample" --k 8 --out "$tmp/jit.npy"
  cmp "$tmp/aot.npy" "$tmp/jit.npy" || die "AOT and JIT knn differ"
  if "$bin" cloud inspect tests/fixtures/bad/truncated_binary.pcd >/dev/null 2>"$tmp/err"; then
    die "AOT binary accepted a truncated file"
  fi
  grep -q "truncated_binary.pcd" "$tmp/err" || die "error line does not name the file: $(cat "$tmp/err")"
  "$bin" classify "${CLASSIFY_ARGS[@]}" > "$tmp/aot.json"
  dotnet "src/GeoEdge.Host/bin/Release/net10.0/geoedge.dll" classify "${CLASSIFY_ARGS[@]}" > "$tmp/jit.json"
  cmp "$tmp/aot.json" "$tmp/jit.json" || die "AOT and JIT classify differ"
  rm -rf "$tmp"
  log "AOT smoke test passed"
}

# The shipped reference clouds classified by the shipped bundle (tests/fixtures/shapes/make_shapes_samples.py).
CLASSIFY_CLOUDS=(--keys models/dev-keys/geoedge-dev.pub.pem
  tests/fixtures/shapes/reference0_tetrahedron.pcd tests/fixtures/shapes/reference2_triangular_prism.pcd
  tests/fixtures/shapes/reference4_sphere.pcd --json)
CLASSIFY_ARGS=(--bundle models/shapes-dgcnn/bundle "${CLASSIFY_CLOUDS[@]}")

# What the arm64 build needs to run under qemu-user on an x64 machine: the emulator and arm64 userland libraries.
# The arm64 libc, libstdc++ and libssl (geoedge verifies bundle signatures with OpenSSL) come from Debian's arm64
# packages (multiarch), and the binary runs with them alone: mixing in the cross toolchain's /usr/aarch64-linux-gnu
# (qemu -L) loads that ld.so beside the multiarch libc, a glibc of another build, and pthread_create then loops forever.
need_arm64_userland() {
  need_apt qemu-user-static
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    log "adding the arm64 architecture to dpkg (arm64 libc, libstdc++, libssl for qemu)"
    $SUDO dpkg --add-architecture arm64
    APT_UPDATED=0
  fi
  need_apt libc6:arm64 libstdc++6:arm64 libssl3:arm64
}

# Runs an arm64 program under qemu-user. qemu 7.2 passes the host's (x86) /proc/cpuinfo through and ONNX Runtime's CPU
# detection then crashes (SIGSEGV), so the process sees a Cortex-A72 cpuinfo bind-mounted over /proc/cpuinfo in a mount
# namespace of its own; the machine's /proc/cpuinfo is untouched.
run_arm64() {
  unshare -m sh -c 'mount --bind "$0" /proc/cpuinfo && exec qemu-aarch64-static "$@"' \
    "$ROOT/deploy/testing/cpuinfo-arm64.txt" "$@"
}

# Two pretty-printed JSON files of the same shape: every line equal, except numbers, which may differ by TOL.
# Prints the largest difference; fails naming each line that differs otherwise or by more.
json_within() {
  local a=$1 b=$2 tol=$3
  [ "$(wc -l < "$a")" = "$(wc -l < "$b")" ] || { echo "line counts differ"; return 1; }
  paste -d '\n' "$a" "$b" | awk -v tol="$tol" '
    NR % 2 == 1 { x = $0; next }
    {
      y = $0; line = NR / 2
      if (x == y) next
      px = x; py = y
      sub(/-?[0-9][0-9.]*([eE][-+]?[0-9]+)?,?$/, "", px); sub(/-?[0-9][0-9.]*([eE][-+]?[0-9]+)?,?$/, "", py)
      if (px != py || px == x) { print "line " line ": " x " | " y; bad = 1; next }
      vx = substr(x, length(px) + 1); vy = substr(y, length(py) + 1); sub(/,$/, "", vx); sub(/,$/, "", vy)
      if (px ~ /"index"/) { print "line " line ": class index " vx " vs " vy; bad = 1; next }
      d = vx - vy; if (d < 0) d = -d
      if (d > worst) worst = d
      if (d > tol) { print "line " line ": " vx " vs " vy " (|difference| " d " > " tol ")"; bad = 1 }
    }
    END { printf "largest |x64 - arm64| = %.3g over the numbers that differ\n", worst; exit bad }'
}

# The arm64 build, run under qemu, must do what the x64 build does. Geometry (inspect, kNN, farthest-point sampling) is
# C# scalar and SIMD code with one result by design: byte-identical. Classification goes through ONNX Runtime, whose MLAS
# kernels differ per architecture (NEON vs AVX2/FMA GEMM tiles sum in another order), so the logits agree to ~2e-6, not
# bit for bit: labels and top-K classes must be identical, logits, probabilities and OOD scores within 1e-5.
arm64_qemu_check() {
  if [ "$(uname -m)" != x86_64 ]; then log "arm64 qemu check: skipped on $(uname -m) (it checks an x64 machine's cross build)"; return 0; fi
  publish linux-arm64
  need_arm64_userland
  local arm="$ROOT/artifacts/linux-arm64/geoedge" x64="$ROOT/artifacts/linux-x64/geoedge"
  local tmp; tmp=$(mktemp -d)
  if ! unshare -m true 2>"$tmp/err"; then
    die "arm64 qemu check needs a private mount namespace (unshare -m): $(cat "$tmp/err")"
  fi
  log "arm64 qemu check: $(run_arm64 "$arm" version)"
  local sample=tests/fixtures/open3d/bunny_like_ascii.ply
  run_arm64 "$arm" cloud inspect "$sample" --json > "$tmp/arm64.json"
  "$x64" cloud inspect "$sample" --json > "$tmp/x64.json"
  cmp "$tmp/arm64.json" "$tmp/x64.json" || die "arm64 and x64 inspect differ on $sample"
  run_arm64 "$arm" cloud knn "$sample" --k 8 --out "$tmp/arm64.npy"
  "$x64" cloud knn "$sample" --k 8 --out "$tmp/x64.npy"
  cmp "$tmp/arm64.npy" "$tmp/x64.npy" || die "arm64 and x64 kNN differ on $sample"
  run_arm64 "$arm" cloud downsample tests/fixtures/shapes/reference4_sphere.pcd "$tmp/arm64.pcd" --fps 512
  "$x64" cloud downsample tests/fixtures/shapes/reference4_sphere.pcd "$tmp/x64.pcd" --fps 512
  cmp "$tmp/arm64.pcd" "$tmp/x64.pcd" || die "arm64 and x64 farthest-point sampling differ"
  # The shipped bundle, then the quantized variants (QDQ int8 kernels; the pruned one samples 512 points, k = 8).
  local bundle
  for bundle in models/shapes-dgcnn/bundle models/shapes-dgcnn/variants/int8/bundle models/shapes-dgcnn/variants/pruned-int8/bundle; do
    run_arm64 "$arm" classify --bundle "$bundle" "${CLASSIFY_CLOUDS[@]}" > "$tmp/arm64.json"
    "$x64" classify --bundle "$bundle" "${CLASSIFY_CLOUDS[@]}" > "$tmp/x64.json"
    if cmp -s "$tmp/arm64.json" "$tmp/x64.json"; then
      log "arm64 classify ($bundle): byte-identical to x64"
    else
      json_within "$tmp/x64.json" "$tmp/arm64.json" 1e-5 || die "arm64 and x64 classify differ beyond 1e-5 on $bundle (files in $tmp)"
      log "arm64 classify ($bundle): same labels and top-K as x64, numbers within 1e-5"
    fi
  done
  rm -rf "$tmp"
  log "arm64 qemu check passed"
}

# The dashboard test drives Debian's headless Chromium through DevTools.
need_test_browser() { [ -x /usr/bin/chromium ] || need_apt chromium; }

# The fleet server's storage tests start a private PostgreSQL cluster from Debian's server binaries (initdb, pg_ctl).
need_test_postgres() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_apt postgresql; }

run_tests() {
  need_dotnet
  need_test_browser
  need_test_postgres
  # DeployTests run systemd-analyze verify and install.sh (useradd/groupadd --prefix) against a temporary root.
  need_apt systemd passwd
  log "building (Release)"
  dotnet build GeoEdge.sln -c Release -nologo -clp:ErrorsOnly
  log "running tests"
  dotnet test GeoEdge.sln -c Release --no-build -nologo --logger "console;verbosity=minimal"
  publish linux-x64
  aot_smoke
  arm64_qemu_check
}

# The main job: the device service on the embedded defaults (dev-x64: the shipped models replaying the shipped samples),
# enrolled in a fleet server beside it. Everything the run makes lives in .run/ (gitignored), fresh for every run:
#   .run/fleet/             the server's data directory (fleet.db SQLite, CA, content-addressed bundle blobs)
#   .run/bundles/           the .geob files registered (the shipped bundles zipped; versions packed by `rollout`)
#   .run/dev-x64-fleet.json dev-x64.json plus a fleet section (same depth as device-configs/, so its ../ paths still resolve)
#   .run/device-state/      the device's state directory (model store, fleet identity, metrics queue)
#   .run/*.token            operator, viewer and enrollment tokens made with the geoedge-fleet CLI
# `./build.sh run --seconds N` stops both after N seconds (the device with SIGTERM, as systemd would); without it, Ctrl-C.
RUN_DIR="$ROOT/.run"
FLEET_URL=http://127.0.0.1:8480
# The device port: mutual TLS with the certificate the device gets at enrollment (on FLEET_URL), as a production fleet runs.
FLEET_DEVICE_URL=https://127.0.0.1:8481
FLEET_BIN="$ROOT/artifacts/fleet/geoedge-fleet"

publish_fleet() {
  log "publishing geoedge-fleet to artifacts/fleet"
  dotnet publish src/GeoEdge.FleetServer/GeoEdge.FleetServer.csproj -c Release -o "$ROOT/artifacts/fleet" -nologo -clp:ErrorsOnly >/dev/null \
    || die "geoedge-fleet publish failed"
}

# fleet_api METHOD PATH [curl args...]: the operator API with the run's operator token; fails on any non-2xx answer.
fleet_api() {
  local method=$1 path=$2; shift 2
  curl -sS --fail-with-body -X "$method" -H "Authorization: Bearer $(cat "$RUN_DIR/operator.token")" "$@" "$FLEET_URL$path"
}

wait_for_fleet() {
  local pid=$1 i
  for i in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || die "geoedge-fleet exited: $(tail -5 "$RUN_DIR/fleet.log")"
    if curl -s -o /dev/null -H "Authorization: Bearer $(cat "$RUN_DIR/operator.token")" "$FLEET_URL/v1/models"; then return 0; fi
    sleep 0.5
  done
  die "geoedge-fleet did not answer on $FLEET_URL within 60 s (see $RUN_DIR/fleet.log)"
}

# A shipped bundle directory as a .geob (a zip of its files: the signed manifest travels unchanged), registered.
register_shipped_bundles() {
  local dir name version geob
  mkdir -p "$RUN_DIR/bundles"
  for dir in models/*/bundle; do
    name=$(jq -r .name "$dir/manifest.json"); version=$(jq -r .version "$dir/manifest.json")
    geob="$RUN_DIR/bundles/$name-$version.geob"
    rm -f "$geob"
    zip -X -j -q "$geob" "$dir"/*
    fleet_api POST /v1/models -H 'Content-Type: application/octet-stream' --data-binary "@$geob" >/dev/null
    log "registered $name $version ($geob)"
  done
}

# dev-x64.json with its own state directory and a fleet section: enroll on the API port, then talk to the mutual-TLS
# device port with the issued client certificate (the agent pins the server certificate to the enrollment CA).
write_fleet_device_config() {
  jq --arg enroll "$FLEET_URL" --arg url "$FLEET_DEVICE_URL" --arg hw "dev-x64-$(hostname)" '
    ."$schema" = "../device-configs/device-config.schema.json"
    | .stateDirectory = "device-state"
    | .fleet = { serverUrl: $url, enrollUrl: $enroll, useClientCertificate: true,
                 enrollmentTokenFile: "enrollment.token", hwId: $hw, pollSeconds: 5,
                 metricsWindowSeconds: 10, attributes: { site: "dev", board: "dev-x64" } }' \
    device-configs/dev-x64.json > "$RUN_DIR/dev-x64-fleet.json"
}

run_main() {
  need_dotnet; need_apt curl jq zip
  local bin="$ROOT/artifacts/linux-x64/geoedge" seconds=""
  if [ "${1:-}" = "--seconds" ]; then seconds=${2:?--seconds needs a number}; fi
  publish linux-x64
  publish_fleet
  rm -rf "$RUN_DIR"; mkdir -p "$RUN_DIR/fleet"
  "$FLEET_BIN" token create operator --data "$RUN_DIR/fleet" --role operator --name build-run > "$RUN_DIR/operator.token"
  "$FLEET_BIN" token create operator --data "$RUN_DIR/fleet" --role viewer --name dashboard > "$RUN_DIR/viewer.token"
  "$FLEET_BIN" token create enrollment --data "$RUN_DIR/fleet" --fleet dev --max-uses 1 > "$RUN_DIR/enrollment.token"
  log "starting geoedge-fleet serve on $FLEET_URL, device port $FLEET_DEVICE_URL (log: .run/fleet.log)"
  "$FLEET_BIN" serve --data "$RUN_DIR/fleet" --urls "$FLEET_URL" --device-url "$FLEET_DEVICE_URL" --trusted-key "$ROOT/models/dev-keys/geoedge-dev.pub.pem" \
    > "$RUN_DIR/fleet.log" 2>&1 &
  local fleet_pid=$!
  # The server goes down with this script, however it ends.
  trap 'kill -TERM '"$fleet_pid"' 2>/dev/null; wait '"$fleet_pid"' 2>/dev/null || true' EXIT
  wait_for_fleet "$fleet_pid"
  register_shipped_bundles
  write_fleet_device_config
  log "fleet dashboard:    $FLEET_URL/?token=$(cat "$RUN_DIR/viewer.token")"
  log "device diagnostics: http://127.0.0.1:8470/  (metrics: /metrics, status: /api/v1/status)"
  log "new version:        ./build.sh rollout shapes-dgcnn 1.1.0   (in another terminal)"
  log "starting geoedge run --config .run/dev-x64-fleet.json"
  local rc=0
  if [ -n "$seconds" ]; then
    timeout -s TERM "$seconds" "$bin" run --config "$RUN_DIR/dev-x64-fleet.json" || rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 124 ] || die "geoedge exited with $rc"
  else
    "$bin" run --config "$RUN_DIR/dev-x64-fleet.json" || rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 130 ] || [ "$rc" -eq 143 ] || die "geoedge exited with $rc"
  fi
}

# `./build.sh rollout MODEL VERSION`: against the fleet `./build.sh run` started, pack MODEL VERSION from the shipped
# ONNX file and manifest spec (signed with the dev key), upload it, and start a staged rollout to the dev devices: a
# one-device canary that bakes 15 s, then the rest. Prints the rollout; watch it on the dashboard or with the curl shown.
rollout_main() {
  local model=${1:?usage: ./build.sh rollout MODEL VERSION} version=${2:?usage: ./build.sh rollout MODEL VERSION}
  need_dotnet; need_apt curl jq
  [ -f "$RUN_DIR/operator.token" ] || die "no .run/operator.token: start the fleet with ./build.sh run first"
  [ -f "models/$model/manifest-spec.json" ] || die "no models/$model/manifest-spec.json"
  local geob="$RUN_DIR/bundles/$model-$version.geob" spec="$RUN_DIR/bundles/$model-$version.spec.json"
  if [ ! -f "$geob" ]; then
    dotnet build src/GeoEdge.ModelTool/GeoEdge.ModelTool.csproj -c Release -nologo -clp:ErrorsOnly >/dev/null || die "geoedge-model build failed"
    jq --arg v "$version" '.version = $v' "models/$model/manifest-spec.json" > "$spec"
    dotnet src/GeoEdge.ModelTool/bin/Release/net10.0/geoedge-model.dll pack "models/$model/bundle/model.onnx" --spec "$spec" \
      --key models/dev-keys/geoedge-dev.key.pem --out "$geob"
  fi
  fleet_api POST /v1/models -H 'Content-Type: application/octet-stream' --data-binary "@$geob" >/dev/null
  log "uploaded $model $version"
  local request
  request=$(jq -n --arg m "$model" --arg v "$version" '{
    model: $m, fromVersion: null, toVersion: $v, target: { attributes: { site: "dev" } },
    stages: [
      { name: "canary", count: 1, minDevices: 1, bakeMinutes: 0.25, successPct: 100, errorPct: 0, onSuccess: "next", inProgressTimeoutMinutes: 10 },
      { name: "rest", minDevices: 1, bakeMinutes: 0, successPct: 90, errorPct: 10, onSuccess: "next", inProgressTimeoutMinutes: 30 }
    ] }')
  local created id
  created=$(fleet_api POST /v1/rollouts -H 'Content-Type: application/json' --data "$request")
  id=$(jq -r .id <<<"$created")
  log "rollout $id: $model -> $version ($(jq -r .state <<<"$created"))"
  log "watch it: $FLEET_URL/?token=$(cat "$RUN_DIR/viewer.token")"
  log "      or: curl -s -H \"Authorization: Bearer \$(cat .run/viewer.token)\" $FLEET_URL/v1/rollouts/$id | jq '{state, stages}'"
}

cmd=${1:-test}
shift || true
case "$cmd" in
  run) run_main "$@" ;;
  rollout) rollout_main "$@" ;;
  test) run_tests "$@" ;;
  bench) need_dotnet; dotnet run -c Release --project bench/GeoEdge.Benchmarks -- "$@" ;;
  bench-fleet)
    need_dotnet
    case " $* " in *" --db postgres "*) need_test_postgres ;; esac
    dotnet build bench/GeoEdge.FleetSimulator -c Release -nologo -clp:ErrorsOnly
    dotnet bench/GeoEdge.FleetSimulator/bin/Release/net10.0/geoedge-fleet-sim.dll "$@" ;;
  compare)
    need_dotnet; need_apt python3-open3d python3-scipy python3-numpy
    dotnet build bench/GeoEdge.Benchmarks -c Release -nologo -clp:ErrorsOnly
    /usr/bin/python3 bench/compare_geometry.py "$@" ;;
  compare-torch)
    need_dotnet; need_apt python3-torch python3-numpy
    dotnet build bench/GeoEdge.Benchmarks -c Release -nologo -clp:ErrorsOnly
    /usr/bin/python3 bench/compare_torch.py "$@" ;;
  publish) publish "$@" ;;
  *) die "unknown subcommand '$cmd' (run | rollout | test | bench | bench-fleet | compare | compare-torch | publish [RID])" ;;
esac
