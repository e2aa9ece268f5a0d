#!/usr/bin/env bash
# Removes what install.sh installed. Configuration ($ETC/parley) and state (/var/lib/parley:
# memory, engine states) stay unless --purge is given.
set -euo pipefail
PREFIX=${PREFIX:-/usr/local}
ETC=${ETC:-/etc}  # a scratch root for trying the script out
[ "$(id -u)" = 0 ] || { echo "uninstall.sh: run as root" >&2; exit 1; }
live=false  # a scratch ETC (tests) never touches the running system's systemd or /var/lib
if [ "$ETC" = /etc ] && [ -d /run/systemd/system ]; then live=true; fi
if $live; then
  systemctl disable --now parley 2>/dev/null || true
fi
rm -f "$ETC/systemd/system/parley.service" "$PREFIX/bin/parley"
rm -rf "$PREFIX/lib/parley" "$PREFIX/share/parley" "$PREFIX/share/doc/parley"
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$ETC/parley"
  if [ "$ETC" = /etc ]; then rm -rf /var/lib/parley /var/lib/private/parley; fi
  echo "==> removed Parley, its configuration and its state" >&2
else
  echo "==> removed Parley; kept $ETC/parley and /var/lib/parley (use --purge to remove them)" >&2
fi
if $live; then systemctl daemon-reload; fi
