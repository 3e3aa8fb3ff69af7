#!/usr/bin/env bash
# Packs each shipped model into its signed bundle directory, models/<name>/bundle/, with the DEVELOPMENT key.
#   models/pack-shipped.sh [name ...]        (default: every models/*/manifest-spec.json)
# After a recipe run (models/training/*.py) the fresh export is models/<name>/model.onnx and manifest-spec.json is in
# the recipe's format: the spec is converted (models/bundle_spec.py), the export packed, then removed, so the bundle
# holds the only copy of the graph. Without a fresh export the bundle is re-packed from its own model.onnx.
set -euo pipefail
cd "$(dirname "$0")/.."
KEY=models/dev-keys/geoedge-dev.key.pem
PUB=models/dev-keys/geoedge-dev.pub.pem
dotnet build src/GeoEdge.ModelTool -c Release -nologo -v q >/dev/null
TOOL=src/GeoEdge.ModelTool/bin/Release/net10.0/geoedge-model
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for spec in models/*/manifest-spec.json; do names+=("$(basename "$(dirname "$spec")")"); done
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in "${names[@]}"; do
  dir=models/$name
  /usr/bin/python3 models/bundle_spec.py "$dir/manifest-spec.json"
  if [ -f "$dir/model.onnx" ]; then
    onnx=$dir/model.onnx
  else
    # pack replaces the bundle directory, so its graph is copied out first
    mkdir -p "$tmp/$name" && cp "$dir/bundle/model.onnx" "$tmp/$name/model.onnx"
    onnx=$tmp/$name/model.onnx
  fi
  "$TOOL" pack "$onnx" --spec "$dir/manifest-spec.json" --key "$KEY" --out "$dir/bundle"
  "$TOOL" verify-bundle "$dir/bundle" --trusted "$PUB"
  rm -f "$dir/model.onnx"
done
