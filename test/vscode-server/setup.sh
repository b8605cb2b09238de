#!/usr/bin/env bash
# `npm run setup:vscode`: installs the offline VS Code used by the integration tests, the e2e tests and `npm start`.
#   1. Debian packages, only those missing: chromium (the browser playwright-core drives) and libkrb5-dev (headers
#      for code-server's native build). Debian's current versions are taken: its security updates replace old ones.
#   2. node24/: Node 24 from the `node` npm package, pinned by its lockfile (code-server requires Node 24).
#   3. code-server (VS Code server + workbench) and playwright-core, pinned by package-lock.json, installed by npm
#      running under that Node 24.
# Idempotent and cached per machine: each npm install lives in a cache folder named by a hash of its package.json,
# lockfile and Node version (default ~/.cache/vscode-generators/test-vscode, or $GENERATORS_VSCODE_CACHE), and this
# folder's node_modules are symlinks to it, so fresh clones (CI) reuse it and a changed lockfile reinstalls.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${GENERATORS_VSCODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vscode-generators/test-vscode}"
mkdir -p "$cache_root"
# Two runs at once (npm test and npm start, or two clones) must not install over each other.
exec 9>"$cache_root/setup.lock"
flock 9

install_debian_packages() {
  local missing=()
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  [ ${#missing[@]} -eq 0 ] && return
  echo "setup:vscode: installing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup:vscode: run as root or install: apt-get install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
}

# Installs $1's lockfile into the cache (unless already there) and links $1/node_modules to it; $2 names the entry.
npm_ci_cached() {
  local dir="$1" name="$2" key target
  key="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -c1-16)-$(node -v)"
  target="$cache_root/$name-$key"
  if [ ! -f "$target/.complete" ]; then
    echo "setup:vscode: npm ci for $name (node $(node -v)) into $target; a first install takes a few minutes"
    rm -rf "$target"
    mkdir -p "$target"
    cp "$dir/package.json" "$dir/package-lock.json" "$target/"
    (cd "$target" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$target/.complete"
    # Older installs of the same folder are superseded.
    find "$cache_root" -mindepth 1 -maxdepth 1 -name "$name-*" ! -name "$name-$key" -exec rm -rf {} +
  fi
  if [ "$(readlink "$dir/node_modules" || true)" != "$target/node_modules" ]; then
    # Renamed aside first, so that a code-server still running from the old folder finds files at the same paths.
    local old="$dir/.node_modules.old.$$"
    [ -e "$dir/node_modules" ] || [ -L "$dir/node_modules" ] && mv "$dir/node_modules" "$old"
    ln -s "$target/node_modules" "$dir/node_modules"
    rm -rf "$old"
  fi
}

started=$SECONDS
install_debian_packages
npm_ci_cached "$here/node24" node24
export PATH="$here/node24/node_modules/.bin:$PATH"
[ "$(node -v | cut -d. -f1)" = "v24" ] || { echo "setup:vscode: expected Node 24 from $here/node24, got $(node -v)" >&2; exit 1; }
npm_ci_cached "$here" code-server
echo "setup:vscode: offline VS Code ready ($((SECONDS - started)) s)"
