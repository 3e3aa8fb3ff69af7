#!/usr/bin/env bash
# GeoEdge build entry point. Subcommands:
#   run                 build geoedge and run its main job on the embedded defaults
#   test                install what is missing, build everything, run every test (what CI runs)
#   bench [args]        BenchmarkDotNet suite (args go to BenchmarkSwitcher, e.g. --filter '*Knn*')
#   compare             side-by-side comparison with Open3D / SciPy (bench/compare_geometry.py)
#   compare-torch       shipped models end to end vs PyTorch eager (bench/compare_torch.py)
#   publish [RID]       Native AOT geoedge into artifacts/RID/ (default linux-x64)
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
need_aot_toolchain() { need_apt clang zlib1g-dev; }

publish() {
  local rid=${1:-linux-x64}
  need_dotnet; need_aot_toolchain
  local out="$ROOT/artifacts/$rid"
  log "publishing geoedge (Native AOT, $rid) to $out"
  local logf; logf=$(mktemp)
  dotnet publish src/GeoEdge.Host/GeoEdge.Host.csproj -c Release -r "$rid" -o "$out" \
    -p:TreatWarningsAsErrors=true 2>&1 | tee "$logf" | grep -E "warning|error|->" || true
  if ! [ -x "$out/geoedge" ]; then die "publish failed (see $logf)"; fi
  if grep -E "warning (IL|AOT)[0-9]+" "$logf" >/dev/null; then die "AOT/trim warnings in publish (see $logf)"; fi
  rm -f "$logf"
  log "geoedge: $(du -h "$out/geoedge" | cut -f1)"
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
  rm -rf "$tmp"
  log "AOT smoke test passed"
}

# The dashboard test drives Debian's headless Chromium through DevTools.
need_test_browser() { [ -x /usr/bin/chromium ] || need_apt chromium; }

run_tests() {
  need_dotnet
  need_test_browser
  log "building (Release)"
  dotnet build GeoEdge.sln -c Release -nologo -clp:ErrorsOnly
  log "running tests"
  dotnet test GeoEdge.sln -c Release --no-build -nologo --logger "console;verbosity=minimal"
  publish linux-x64
  aot_smoke
}

run_main() {
  need_dotnet
  local bin="$ROOT/artifacts/linux-x64/geoedge"
  publish linux-x64
  local sample=tests/fixtures/pcl/table_scene_like_binary_compressed.pcd
  [ -e "$sample" ] || sample=$(ls tests/fixtures/pcl/*.pcd | head -1)
  log "geoedge cloud inspect $sample"
  "$bin" cloud inspect "$sample"
  mkdir -p artifacts/run
  log "geoedge cloud downsample --voxel 0.05 and knn k=16"
  "$bin" cloud downsample "$sample" artifacts/run/downsampled.pcd --voxel 0.05
  "$bin" cloud knn artifacts/run/downsampled.pcd --k 16 --out artifacts/run/knn.npy
  "$bin" cloud inspect artifacts/run/downsampled.pcd
}

cmd=${1:-test}
shift || true
case "$cmd" in
  run) run_main "$@" ;;
  test) run_tests "$@" ;;
  bench) need_dotnet; dotnet run -c Release --project bench/GeoEdge.Benchmarks -- "$@" ;;
  compare)
    need_dotnet; need_apt python3-open3d python3-scipy python3-numpy
    dotnet build bench/GeoEdge.Benchmarks -c Release -nologo -clp:ErrorsOnly
    /usr/bin/python3 bench/compare_geometry.py "$@" ;;
  compare-torch)
    need_dotnet; need_apt python3-torch python3-numpy
    dotnet build bench/GeoEdge.Benchmarks -c Release -nologo -clp:ErrorsOnly
    /usr/bin/python3 bench/compare_torch.py "$@" ;;
  publish) publish "$@" ;;
  *) die "unknown subcommand '$cmd' (run | test | bench | compare | compare-torch | publish [RID])" ;;
esac
