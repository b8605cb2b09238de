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

# Run through `npm run` (npm start, npm test), this script inherits the outer npm's view of the world: npm_config_*
# (npm_config_user_agent names Node 20, and code-server's postinstall reads the Node version from it and refuses;
# npm_config_local_prefix names the repository; npm_config_node_gyp and npm_config_nodedir belong to Node 20's npm),
# npm_package_*, npm_lifecycle_*, INIT_CWD and NODE. The nested npm runs under Node 24 and would take all of it as its
# own configuration, so it goes (and NODE_OPTIONS, where a debugger's bootloader would ride along); npm reads the
# user's config files (~/.npmrc and the global npmrc) again by itself. Kept: the network settings a user may give npm
# through the environment (registry, proxy, certificates, cache).
for name in $(compgen -e); do
  case "$name" in
    npm_config_registry | npm_config_proxy | npm_config_https_proxy | npm_config_noproxy | npm_config_cafile | \
      npm_config_ca | npm_config_strict_ssl | npm_config_cache) ;;
    npm_* | INIT_CWD | NODE | NODE_OPTIONS) unset "$name" ;;
  esac
done

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
# $3, optional, checks a fresh install (given its folder) before it is marked complete.
npm_ci_cached() {
  local dir="$1" name="$2" check="${3:-}" key target
  key="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -c1-16)-$(node -v)"
  target="$cache_root/$name-$key"
  if [ ! -f "$target/.complete" ]; then
    echo "setup:vscode: npm ci for $name (node $(node -v)) into $target; a first install takes a few minutes"
    rm -rf "$target"
    mkdir -p "$target"
    cp "$dir/package.json" "$dir/package-lock.json" "$target/"
    (cd "$target" && npm ci --no-audit --no-fund --loglevel=error)
    [ -z "$check" ] || "$check" "$target"
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

# code-server's native modules (spdlog, node-pty, sqlite3, kerberos, the file watchers) are built by node-gyp, which
# downloads the headers of the Node that runs it unless npm's `nodedir` names a folder that has them: offline, only
# the machine's own Node (20) has headers (Debian's nodejs package, and this machine kind's ~/.npmrc says
# nodedir=/usr). Every one of these modules is a Node-API addon, whose ABI is stable across Node versions, so building
# against Node 20's headers and loading under Node 24 is sound; check_native_modules proves it after each install.
# The folder is named here rather than left to whatever ~/.npmrc says, so a machine without that line works the same.
node_headers_prefix() {
  local prefix
  prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  [ -f "$prefix/include/node/node_api.h" ] && echo "$prefix"
}

# Loads each native module the VS Code server uses, under Node 24, in a fresh install: a module built for another ABI,
# or a postinstall that did not run (npm 11 runs unreviewed install scripts with a warning; a later npm may skip
# them), fails the setup with its name instead of a test later.
check_native_modules() {
  local vscode="$1/node_modules/code-server/lib/vscode"
  [ -d "$vscode/node_modules" ] || {
    echo "setup:vscode: $vscode/node_modules is missing: code-server's postinstall did not run (were install scripts skipped?)" >&2
    exit 1
  }
  (cd "$vscode" && node -e '
    for (const name of ["@vscode/spdlog", "node-pty", "@vscode/sqlite3", "kerberos", "@parcel/watcher", "@vscode/native-watchdog"]) {
      try { require(name); } catch (error) {
        console.error(`setup:vscode: ${name} does not load under Node ${process.version}: ${error.message}`);
        process.exitCode = 1;
      }
    }') || exit 1
}

started=$SECONDS
install_debian_packages
headers="$(node_headers_prefix || true)"
npm_ci_cached "$here/node24" node24
export PATH="$here/node24/node_modules/.bin:$PATH"
[ "$(node -v | cut -d. -f1)" = "v24" ] || { echo "setup:vscode: expected Node 24 from $here/node24, got $(node -v)" >&2; exit 1; }
if [ -n "$headers" ]; then export npm_config_nodedir="$headers"; fi
npm_ci_cached "$here" code-server check_native_modules
echo "setup:vscode: offline VS Code ready ($((SECONDS - started)) s)"
