#!/usr/bin/env bash
# Installs Parley as a systemd service: a release build in $PREFIX/bin, its llama.cpp libraries in
# $PREFIX/lib/parley (found through the binary's $ORIGIN rpath), the default model in
# $PREFIX/share/parley/models, the unit in /etc/systemd/system, and the example config in
# $ETC/parley/parley.yaml unless one is already there. Run as root from the repository.
# PARLEY_BINARY=path installs an already-built binary instead of building a release (the tests
# do; it must carry the $ORIGIN/../lib/parley rpath, as every `make` build does). With a scratch
# ETC the running system's systemd is left alone.
set -euo pipefail
PREFIX=${PREFIX:-/usr/local}
ETC=${ETC:-/etc}  # a scratch root for trying the script out
cd "$(dirname "$0")/.."
step() { printf '==> %s\n' "$*" >&2; }
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root (sudo make install)" >&2; exit 1; }

bash deploy/bootstrap.sh
cache=${PARLEY_CACHE:-/var/cache/parley}
export PKG_CONFIG_PATH="$cache/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
libdir=$(pkg-config --variable=libdir llama)

binary=${PARLEY_BINARY:-}
if [ -z "$binary" ]; then
  step "building a release binary"
  swift build -c release -Xlinker -rpath -Xlinker '$ORIGIN/../lib/parley' -Xlinker -rpath -Xlinker "$libdir"
  binary=.build/release/parley
fi

step "installing under $PREFIX"
install -D -m 0755 "$binary" "$PREFIX/bin/parley"
install -d "$PREFIX/lib/parley"
cp -a "$libdir"/libllama.so* "$libdir"/libggml*.so* "$PREFIX/lib/parley/"
install -D -m 0644 "$cache/models/gemma-3-270m-it-Q4_K_M.gguf" "$PREFIX/share/parley/models/gemma-3-270m-it-Q4_K_M.gguf"
install -D -m 0644 README.md "$PREFIX/share/doc/parley/README.md"
install -D -m 0644 config/parley.example.yaml "$PREFIX/share/doc/parley/parley.example.yaml"

step "installing the systemd unit"
install -d "$ETC/systemd/system"
sed "s|/usr/local|$PREFIX|g" systemd/parley.service > $ETC/systemd/system/parley.service
chmod 0644 $ETC/systemd/system/parley.service

install -d -m 0755 $ETC/parley
if [ -e $ETC/parley/parley.yaml ]; then
  step "$ETC/parley/parley.yaml exists: kept (compare with $PREFIX/share/doc/parley/parley.example.yaml)"
else
  install -m 0644 config/parley.example.yaml $ETC/parley/parley.yaml
  step "wrote $ETC/parley/parley.yaml"
fi
"$PREFIX/bin/parley" check-config $ETC/parley/parley.yaml

if [ "$ETC" = /etc ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
cat >&2 <<TXT
==> installed. Next:
    1. Put the bot token in $ETC/parley/discord-token (one line, chmod 600).
    2. Edit $ETC/parley/parley.yaml (model.path for a real model; see the README).
    3. systemctl enable --now parley && journalctl -u parley -f
TXT
