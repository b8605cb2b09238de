#!/usr/bin/env bash
# `npm run setup:vscode`: installs the offline VS Code used by the integration tests, the e2e tests and `npm start`.
#   1. Debian packages, only those missing: chromium (the browser playwright-core drives) and libkrb5-dev (headers
#      for code-server's native build). Debian's current versions are taken: its security updates replace old ones.
#   2. node24/: Node 24 from the `node` npm package, pinned by its lockfile (code-server requires Node 24).
#   3. code-server (VS Code server + workbench) and playwright-core, pinned by package-lock.json, installed by npm
#      running under that Node 24.
# Idempotent and cached: an npm install is redone only when its node_modules is missing or its lockfile changed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$here/.cache"
# Two runs at once (npm test and npm start) must not install over each other.
exec 9>"$here/.cache/setup.lock"
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

# npm ci in $1 unless its node_modules was installed from the same lockfile (and Node) as now.
npm_ci_cached() {
  local dir="$1" stamp="$1/node_modules/.setup-stamp" want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1) $(node -v)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  echo "setup:vscode: npm ci in $dir (node $(node -v)); a first install takes a few minutes"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
}

started=$SECONDS
install_debian_packages
npm_ci_cached "$here/node24"
export PATH="$here/node24/node_modules/.bin:$PATH"
[ "$(node -v | cut -d. -f1)" = "v24" ] || { echo "setup:vscode: expected Node 24 from $here/node24, got $(node -v)" >&2; exit 1; }
npm_ci_cached "$here"
echo "setup:vscode: offline VS Code ready ($((SECONDS - started)) s)"
