#!/bin/sh
# Installs or removes the geoedge service on a device (Debian-like, systemd). POSIX sh: boards may lack bash, jq, python.
#
#   install.sh TARBALL|DIR --board NAME [--config FILE] [--root DIR] [--no-start]
#   install.sh --uninstall [--purge] [--root DIR]
#
# TARBALL is artifacts/geoedge-<rid>.tar.gz from `./build.sh publish <rid>` (or the directory it unpacks to).
# --board NAME   uses device-configs/NAME.json from the tarball (or from the checkout this script sits in);
# --config FILE  uses that device config instead.
# --root DIR     installs under DIR instead of / (tests, image builds; DESTDIR works too): no systemctl, no start.
# --no-start     installs and enables, but does not start (also implied when systemd is not PID 1).
# --uninstall    stops and removes the service, binary, unit, drop-in, udev rule and config; keeps the state
#                directory /var/lib/geoedge and the geoedge user unless --purge is given.
set -eu

ROOT=${DESTDIR:-}
TARBALL=""
BOARD=""
CONFIG=""
NO_START=0
UNINSTALL=0
PURGE=0
HERE=$(cd "$(dirname "$0")" && pwd)

say() { printf 'geoedge-install: %s\n' "$*"; }
die() { printf 'geoedge-install: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --board) [ $# -ge 2 ] || die "--board needs a NAME"; BOARD=$2; shift 2 ;;
    --config) [ $# -ge 2 ] || die "--config needs a FILE"; CONFIG=$2; shift 2 ;;
    --root) [ $# -ge 2 ] || die "--root needs a DIR"; ROOT=$2; shift 2 ;;
    --no-start) NO_START=1; shift ;;
    --uninstall) UNINSTALL=1; shift ;;
    --purge) PURGE=1; shift ;;
    -h|--help) usage ;;
    -*) die "unknown option $1 (try --help)" ;;
    *) [ -z "$TARBALL" ] || die "more than one TARBALL given: $TARBALL, $1"; TARBALL=$1; shift ;;
  esac
done

if [ -n "$ROOT" ]; then
  mkdir -p "$ROOT"
  ROOT=$(cd "$ROOT" && pwd)
  [ "$ROOT" != / ] || ROOT=""
fi

OPT="$ROOT/opt/geoedge"
ETC="$ROOT/etc/geoedge"
UNITS="$ROOT/etc/systemd/system"
UNIT="$UNITS/geoedge.service"
DROPIN="$UNITS/geoedge.service.d"
WANTS="$UNITS/multi-user.target.wants/geoedge.service"
UDEV_RULE="$ROOT/etc/udev/rules.d/60-geoedge.rules"
STATE="$ROOT/var/lib/geoedge"

# Live means: installing into this machine's own root while systemd runs it (the sd_booted() test).
LIVE=0
if [ -z "$ROOT" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then LIVE=1; fi
[ -n "$ROOT" ] || [ "$(id -u)" = 0 ] || die "run as root (or give --root DIR)"

# useradd/groupadd edit DIR/etc/{passwd,group,shadow,gshadow} with --prefix (no chroot needed).
PREFIX_ARGS=""
if [ -n "$ROOT" ]; then PREFIX_ARGS="--prefix $ROOT"; fi
accounts_available() { [ -z "$ROOT" ] || [ -f "$ROOT/etc/passwd" ]; }

# The number after "KEY": in a JSON file, or nothing when the key is absent or null. The device config's key names are
# unique across its sections, so a flat match is exact without a JSON parser.
json_number() {
  tr -d '\r\n' < "$1" | grep -o "\"$2\"[[:space:]]*:[[:space:]]*[0-9][0-9]*" | head -n 1 | grep -o '[0-9]*$' || true
}

uninstall() {
  if [ $LIVE = 1 ]; then
    systemctl disable --now geoedge.service >/dev/null 2>&1 || true
  fi

  rm -f "$WANTS" "$UNIT" "$UDEV_RULE"
  rm -rf "$DROPIN" "$OPT" "$ETC"
  if [ $LIVE = 1 ]; then systemctl daemon-reload; fi
  if [ $PURGE = 1 ]; then
    rm -rf "$STATE"
    if accounts_available && grep -q '^geoedge:' "$ROOT/etc/passwd"; then
      # shellcheck disable=SC2086
      userdel $PREFIX_ARGS geoedge
    fi
    say "removed geoedge, its state directory and its user"
  else
    say "removed geoedge; kept $STATE and the geoedge user (--purge removes them)"
  fi
}

# Unpacks TARBALL (or takes a directory) and prints the directory that holds the geoedge binary.
unpack() {
  if [ -d "$1" ]; then SRC=$1; else
    [ -f "$1" ] || die "no tarball or directory at $1"
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
    tar -xzf "$1" -C "$WORK" || die "$1 is not a gzip tarball"
    SRC=$(dirname "$(find "$WORK" -type f -name geoedge | head -n 1)")
  fi

  [ -f "$SRC/geoedge" ] || die "$1 holds no geoedge binary"
  [ -f "$SRC/libonnxruntime.so" ] || die "$1 holds no libonnxruntime.so (geoedge needs it beside the binary)"
}

# Refuses an arm64 build on an x64 board and the reverse (ELF e_machine: 62 x86-64, 183 AArch64).
check_architecture() {
  machine=$(od -An -tu2 -j18 -N2 "$SRC/geoedge" | tr -d ' ')
  case "$(uname -m)" in
    x86_64) want=62 ;;
    aarch64|arm64) want=183 ;;
    *) want="" ;;
  esac
  if [ -n "$want" ] && [ "$machine" != "$want" ]; then
    die "$SRC/geoedge is built for ELF machine $machine, this is $(uname -m): use the matching tarball"
  fi
}

find_config() {
  if [ -n "$CONFIG" ]; then
    [ -f "$CONFIG" ] || die "no device config at $CONFIG"
    return
  fi

  [ -n "$BOARD" ] || die "give --board NAME or --config FILE"
  for candidate in "$SRC/device-configs/$BOARD.json" "$HERE/../device-configs/$BOARD.json"; do
    if [ -f "$candidate" ]; then CONFIG=$candidate; return; fi
  done
  boards=$(ls "$SRC/device-configs" "$HERE/../device-configs" 2>/dev/null | sed -n 's/\.json$//p' | sort -u | tr '\n' ' ')
  die "no device config for board '$BOARD' (known: ${boards:-none})"
}

# A file from the tarball's deploy/ folder, else from beside this script.
deploy_file() {
  if [ -f "$SRC/deploy/$1" ]; then echo "$SRC/deploy/$1"; elif [ -f "$HERE/$1" ]; then echo "$HERE/$1"; else
    die "$1 is neither in the tarball's deploy/ nor beside $0"
  fi
}

create_accounts() {
  if ! accounts_available; then
    say "no $ROOT/etc/passwd: skipping the geoedge user and the gpio, i2c, spi groups"
    return
  fi

  for group in gpio i2c spi; do
    if ! grep -q "^$group:" "$ROOT/etc/group"; then
      # shellcheck disable=SC2086
      groupadd $PREFIX_ARGS --system "$group"
    fi
  done
  if ! grep -q '^geoedge:' "$ROOT/etc/passwd"; then
    # shellcheck disable=SC2086
    useradd $PREFIX_ARGS --system --user-group --home-dir /var/lib/geoedge --no-create-home \
      --shell /usr/sbin/nologin --comment "GeoEdge edge runtime" --groups gpio,i2c,spi geoedge
  fi
}

write_dropin() {
  memory=$(json_number "$CONFIG" memoryMaxMb)
  cpu=$(json_number "$CONFIG" cpuQuotaPercent)
  mkdir -p "$DROPIN"
  tmp="$DROPIN/.board.conf.tmp"
  {
    echo "# Written by install.sh from $(basename "$CONFIG") (runtime.memoryMaxMb, runtime.cpuQuotaPercent)."
    echo "[Service]"
    if [ -n "$memory" ]; then echo "MemoryMax=${memory}M"; fi
    if [ -n "$cpu" ]; then echo "CPUQuota=${cpu}%"; fi
  } > "$tmp"
  mv "$tmp" "$DROPIN/board.conf"
  say "limits: MemoryMax=${memory:-unset}${memory:+M} CPUQuota=${cpu:-unset}${cpu:+%}"
}

install_all() {
  [ -n "$TARBALL" ] || die "give the TARBALL to install (or --uninstall)"
  unpack "$TARBALL"
  if [ -z "$ROOT" ]; then check_architecture; fi
  find_config

  mkdir -p "$OPT" "$ETC" "$UNITS" "$(dirname "$WANTS")" "$(dirname "$UDEV_RULE")"
  # install(1) replaces by unlink + create, so a running service keeps its old binary until it restarts.
  install -m 0755 "$SRC/geoedge" "$OPT/geoedge"
  # libonnxruntime.so and the other native libraries geoedge loads from its own directory.
  for lib in "$SRC"/*.so; do install -m 0644 "$lib" "$OPT/$(basename "$lib")"; done
  if [ -f "$ETC/device.json" ] && ! cmp -s "$CONFIG" "$ETC/device.json"; then
    cp -p "$ETC/device.json" "$ETC/device.json.old"
    say "kept the previous config as $ETC/device.json.old"
  fi
  install -m 0644 "$CONFIG" "$ETC/device.json"
  install -m 0644 "$(deploy_file geoedge.service)" "$UNIT"
  install -m 0644 "$(deploy_file 60-geoedge.rules)" "$UDEV_RULE"
  write_dropin
  create_accounts
  # What `systemctl enable` does for WantedBy=multi-user.target; done by hand so it works under --root too.
  ln -sf /etc/systemd/system/geoedge.service "$WANTS"

  if [ $LIVE = 0 ]; then
    say "installed under ${ROOT:-/}; systemd is not running it, so nothing was started"
    return
  fi

  systemctl daemon-reload
  if command -v udevadm >/dev/null 2>&1; then
    udevadm control --reload || true
    udevadm trigger --subsystem-match=gpio --subsystem-match=i2c-dev --subsystem-match=spidev || true
  fi
  systemctl enable geoedge.service >/dev/null
  if [ $NO_START = 1 ]; then
    say "installed and enabled; not started (--no-start)"
  else
    systemctl restart geoedge.service
    say "installed, enabled and started: systemctl status geoedge"
  fi
}

if [ $UNINSTALL = 1 ]; then uninstall; else install_all; fi
