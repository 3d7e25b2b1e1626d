#!/usr/bin/env bash
# Builds Prometheus Alertmanager v0.35.0 from the Go module proxy and prints the binary's path.
# Usage: build.sh [output-binary]   (default: $HOME/.cache/hindsight/alertmanager-0.35.0)
# Needs Go 1.26 or newer (the module's go.mod says so). Reuses a binary already built that answers --version;
# concurrent runs wait for each other (flock), so only one builds. Build output goes to stderr, so stdout is
# the path alone.
set -euo pipefail
version=0.35.0
out=${1:-$HOME/.cache/hindsight/alertmanager-$version}
built() { [ -x "$out" ] && "$out" --version >/dev/null 2>&1; }
if built; then echo "$out"; exit 0; fi
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then PATH=$PATH:/usr/local/go/bin; fi
command -v go >/dev/null || {
  echo "build.sh: Go 1.26 or newer is needed to build Prometheus Alertmanager (the HA-pair integration test's" \
    "monitor) and 'go' is not on PATH: install Go (e.g. its official tarball unpacked into /usr/local/go," \
    "then add /usr/local/go/bin to PATH)" >&2
  exit 1
}
mkdir -p "$(dirname "$out")"
if command -v flock >/dev/null; then
  exec 9>"$out.lock"
  flock 9
  if built; then echo "$out"; exit 0; fi
fi
# Downloading the exact version, as for FerretDB: `go install ...@version` needs the proxy's version list.
dir=$(GOFLAGS=-mod=mod go mod download -json "github.com/prometheus/alertmanager@v$version" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$dir" ] || { echo "build.sh: module download failed" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp -r "$dir" "$work/src"; chmod -R u+w "$work/src"
# The module zip lacks the web UI's built assets, which `make` builds with npm and Elm; ui/web.go embeds
# `app/dist` (the build fails on an empty or missing directory) and serves `app/dist/elm` at / and
# `app/dist/mantine` at /ui/, gzip- or brotli-compressed only. Empty pages stand in: the API is all we use.
dist="$work/src/ui/app/dist"
mkdir -p "$dist/elm" "$dist/mantine"
page='<!doctype html><title>Alertmanager</title>'
echo "$page" > "$dist/index.html"
for app in elm mantine; do echo "$page" | gzip -9n > "$dist/$app/index.html.gz"; done
grep -q '^//go:embed app/dist$' "$work/src/ui/web.go" || {
  echo "build.sh: ui/web.go no longer embeds app/dist: check what the UI embed needs" >&2
  exit 1
}
ldflags="-X github.com/prometheus/common/version.Version=$version"
ldflags+=" -X github.com/prometheus/common/version.Revision=v$version"
ldflags+=" -X github.com/prometheus/common/version.Branch=module-proxy"
(cd "$work/src" && CGO_ENABLED=0 go build -trimpath -tags netgo -ldflags "$ldflags" \
  -o "$out.tmp.$$" ./cmd/alertmanager) >&2
mv "$out.tmp.$$" "$out"
built || { echo "build.sh: the built binary does not run --version" >&2; exit 1; }
echo "$out"
