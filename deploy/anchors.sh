#!/usr/bin/env bash
# Builds llama.cpp's own tools from the very source Parley links (the pinned llama-cpp-python sdist),
# once per machine and per tool: the anchors `make bench` measures Parley against, and the
# llama-server `make test` runs Parley's replica failover against.
#   deploy/anchors.sh                  llama-bench, llama-batched-bench and llama-server (make anchors)
#   deploy/anchors.sh llama-server     only the tools named (make test asks for llama-server alone)
# A tool already built is not built again (a warm run only checks); one build at a time (a lock),
# so `make test` and `make bench` side by side never clobber each other. State lives in the cache:
#   $PARLEY_CACHE/anchors-<version>/bin/<tool>
# The tools are built with the same CMake defaults as the library (GGML_NATIVE: this CPU's
# kernels), so a ratio compares schedulers, not compilers.
set -euo pipefail

LLAMA_VERSION=0.3.36
# The sdist pip builds the library from; its sha256 as PyPI publishes it.
SDIST_URL=https://files.pythonhosted.org/packages/ec/e9/e7de2b0463ea3ffbf0ede6cb21b58c1258a8f6521aae45ca773a59fe7cf3/llama_cpp_python-0.3.36.tar.gz
SDIST_SHA256=832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e
ALL_TOOLS=(llama-bench llama-batched-bench llama-server)

TOOLS=("$@")
[ ${#TOOLS[@]} -gt 0 ] || TOOLS=("${ALL_TOOLS[@]}")
for tool in "${TOOLS[@]}"; do
  case " ${ALL_TOOLS[*]} " in
    *" $tool "*) ;;
    *) echo "anchors: unknown tool '$tool' (known: ${ALL_TOOLS[*]})" >&2; exit 2 ;;
  esac
done

if [ -z "${PARLEY_CACHE:-}" ]; then
  if [ "$(id -u)" = 0 ]; then PARLEY_CACHE=/var/cache/parley; else PARLEY_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/parley"; fi
fi
step() { printf '==> %s\n' "$*" >&2; }
# shellcheck source=deploy/llama-build.sh
. "$(dirname "$0")/llama-build.sh"
dir="$PARLEY_CACHE/anchors-$LLAMA_VERSION"
build_id=$(llama_build_id)

# A tool counts as built only when it was built for this CPU with these flags (the library's rule).
missing_tools() {
  missing=()
  current=0
  [ "$(cat "$dir/bin/build-id" 2> /dev/null)" = "$build_id" ] && current=1
  for tool in "${TOOLS[@]}"; do [ "$current" = 1 ] && [ -x "$dir/bin/$tool" ] || missing+=("$tool"); done
}
missing_tools
if [ ${#missing[@]} = 0 ]; then
  step "llama.cpp $LLAMA_VERSION tools: ${TOOLS[*]} cached in $dir/bin"
  exit 0
fi
mkdir -p "$PARLEY_CACHE"
exec 9>"$dir.lock"
flock 9
missing_tools # another run may have built them while this one waited
if [ ${#missing[@]} = 0 ]; then
  step "llama.cpp $LLAMA_VERSION tools: ${TOOLS[*]} cached in $dir/bin"
  exit 0
fi

step "llama.cpp $LLAMA_VERSION tools: building ${missing[*]} into $dir/bin (about 5-10 minutes on 2 cores)"
work=$(mktemp -d "$dir.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
# CMake and Ninja as binary wheels (Debian's cmake may be older than llama.cpp asks for).
"$work/venv/bin/pip" install --no-cache-dir -q --only-binary :all: cmake ninja >&2
# The sdist itself, by URL: `pip download` would build its build dependencies from source.
curl -fsSL --retry 3 -o "$work/sdist.tar.gz" "$SDIST_URL"
echo "$SDIST_SHA256  $work/sdist.tar.gz" | sha256sum -c --quiet - >&2
tar -xzf "$work/sdist.tar.gz" -C "$work"
src="$work/llama_cpp_python-$LLAMA_VERSION/vendor/llama.cpp"
[ -f "$src/CMakeLists.txt" ] || { echo "anchors: no vendor/llama.cpp in the sdist" >&2; exit 1; }

# Static ggml/llama inside each tool: the anchors never pick up another libllama by accident.
llama_build_env
PATH="$work/venv/bin:$PATH" cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=OFF -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=ON \
  -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON ${LLAMA_CMAKE_ARGS:-} >&2
PATH="$work/venv/bin:$PATH" cmake --build "$work/build" -j "$(nproc)" --target "${missing[@]}" >&2

# Each tool lands whole or not at all (renamed into place), beside the ones already there; tools
# built for another CPU or other flags go first.
if [ "$(cat "$dir/bin/build-id" 2> /dev/null)" != "$build_id" ]; then rm -rf "$dir/bin"; fi
mkdir -p "$dir/bin"
for tool in "${missing[@]}"; do
  install -m 0755 "$work/build/bin/$tool" "$dir/bin/.$tool.new"
  mv -f "$dir/bin/.$tool.new" "$dir/bin/$tool"
done
echo "$build_id" > "$dir/bin/build-id"
step "llama.cpp $LLAMA_VERSION tools: ${missing[*]} in $dir/bin"
