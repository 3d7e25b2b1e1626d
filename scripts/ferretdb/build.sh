#!/usr/bin/env bash
# Builds FerretDB 1.24.2 from the Go module proxy with atomic_writes.go added, and prints the binary's path.
# Usage: build.sh [output-binary]   (default: $HOME/.cache/hindsight/ferretdb-1.24.2-atomic)
# Needs Go 1.24 or newer. About 100 s the first time (module downloads), seconds after; reuses a binary
# already built. Concurrent runs wait for each other (flock), so only one builds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$HOME/.cache/hindsight/ferretdb-1.24.2-atomic}
built() { [ -x "$out" ] && "$out" --version >/dev/null 2>&1; }
if built; then echo "$out"; exit 0; fi
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then PATH=$PATH:/usr/local/go/bin; fi
command -v go >/dev/null || {
  echo "build.sh: Go 1.24 or newer is needed to build FerretDB (the MongoDB-wire test server) and 'go' is not" \
    "on PATH: install Go (e.g. its official tarball unpacked into /usr/local/go, then add /usr/local/go/bin" \
    "to PATH), or set MONGODB_URI to a running MongoDB 7 instead" >&2
  exit 1
}
mkdir -p "$(dirname "$out")"
if command -v flock >/dev/null; then
  exec 9>"$out.lock"
  flock 9
  if built; then echo "$out"; exit 0; fi
fi
# `go install ...@v1.24.2` is refused here (the proxy answers 403 to the module's version list, which
# go install reads for deprecation notices); downloading the exact version works.
dir=$(GOFLAGS=-mod=mod go mod download -json github.com/FerretDB/FerretDB@v1.24.2 |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$dir" ] || { echo "build.sh: module download failed" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp -r "$dir" "$work/src"; chmod -R u+w "$work/src"
# The module zip lacks this file, which FerretDB's own task runner generates; without it the binary panics.
echo v1.24.2 > "$work/src/build/version/version.txt"
cp "$here/atomic_writes.go" "$work/src/internal/handler/atomic_writes.go"
sed -i 's/^\th\.initCommands()$/\th.initCommands()\n\th.serializeWrites()/' "$work/src/internal/handler/handler.go"
grep -q 'h.serializeWrites()' "$work/src/internal/handler/handler.go" || { echo "build.sh: patch did not apply" >&2; exit 1; }
(cd "$work/src" && go build -trimpath -o "$out.tmp.$$" ./cmd/ferretdb) >&2
mv "$out.tmp.$$" "$out"
echo "$out"
