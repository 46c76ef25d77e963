# Sourced, not run: sipflow's Node provisioning, shared by .ci/run and scripts/node.sh.
# The npm registry ships Node binaries (node-<platform>-<arch>), so a machine that has any npm can get Node 24.
SIPFLOW_MIN_NODE_MAJOR=22
SIPFLOW_NODE_HOME="${SIPFLOW_NODE_HOME:-$HOME/.cache/sipflow/node24}"

# Puts Node 24 first on PATH, installing it into $SIPFLOW_NODE_HOME once. Returns non-zero with one line on stderr
# when it cannot.
sipflow_use_node24() {
  local platform arch package
  case "$(uname -s)" in Linux) platform=linux ;; Darwin) platform=darwin ;; *) platform=unsupported ;; esac
  case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) arch=unsupported ;; esac
  package="node-$platform-$arch"
  local bin="$SIPFLOW_NODE_HOME/node_modules/$package/bin"
  if [ ! -x "$bin/node" ]; then
    if [ "$platform" = unsupported ] || [ "$arch" = unsupported ]; then
      echo "sipflow: Node.js $SIPFLOW_MIN_NODE_MAJOR or newer is required; install it from https://nodejs.org and run again" >&2
      return 1
    fi
    echo "sipflow: installing Node 24 ($package from the npm registry) into $SIPFLOW_NODE_HOME" >&2
    mkdir -p "$SIPFLOW_NODE_HOME"
    if ! (cd "$SIPFLOW_NODE_HOME" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$package@24" >&2); then
      echo "sipflow: could not install Node 24; install Node.js $SIPFLOW_MIN_NODE_MAJOR or newer from https://nodejs.org and run again" >&2
      return 1
    fi
  fi
  export PATH="$bin:$PATH"
}

# The major version of the `node` on PATH (0 when there is none).
sipflow_node_major() {
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}
