#!/usr/bin/env bash
# Installs the Debian packages blastmap needs to build and test, and only those that are missing.
# Uses sudo when not root. Safe to run again: it does nothing when everything is present.
# Then installs the web UI's npm packages (pinned by web/ui/package-lock.json) with `npm ci`.
# --fuzz also installs clang and its libFuzzer runtime, which only scripts/fuzz.sh needs (never CI).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config
  libboost-graph-dev libsqlite3-dev libyaml-dev nlohmann-json3-dev libcli11-dev doctest-dev
  libcpp-httplib-dev chromium
  python3 python3-jsonschema python3-rfc3987 python3-yaml
  graphviz python3-networkx
  wrk
)
if [[ ${1:-} == --fuzz ]]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi
# Node.js and npm: Debian's, unless a node with npm is already there (another distribution of Node.js
# ships npm inside its nodejs package and conflicts with Debian's npm).
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
install_ui() {
  # npm ci only when the lock file changed since the last install (a stamp inside node_modules).
  local stamp=web/ui/node_modules/.blastmap-lock
  if [[ -f $stamp ]] && cmp -s web/ui/package-lock.json "$stamp"; then
    return 0
  fi
  echo "blastmap: installing the web UI's npm packages (npm ci in web/ui)" >&2
  (cd web/ui && npm ci --no-audit --no-fund --loglevel=error)
  cp web/ui/package-lock.json "$stamp"
}

if ((${#missing[@]} == 0)); then
  install_ui
  exit 0
fi

echo "blastmap: installing missing packages: ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "blastmap: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_ui
