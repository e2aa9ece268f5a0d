# Sourced by deploy/bootstrap.sh (the library) and deploy/anchors.sh (llama.cpp's own tools): what
# both builds of the pinned llama.cpp compile with, and an identity of that build, so a cache is
# used only where it was built for.
#   LLAMA_EXTRA_CFLAGS   compiler flags both builds add (exported as CFLAGS/CXXFLAGS by llama_build_env)
#   llama_build_id       prints the identity: version, CMake arguments, flags, and what GGML_NATIVE
#                        means on this CPU (the compiler's -march=native macros)
# Expects LLAMA_VERSION to be set.

LLAMA_EXTRA_CFLAGS=
# llama.cpp's AMX kernels (Intel Sapphire Rapids and later) build their tile configuration on the
# stack, and GCC drops most of its stores: the first matrix product on an AMX CPU then dies in
# SIGSEGV at ldtilecfg, llama.cpp's own tools included (ggml-org/llama.cpp#20824; the fix, PR
# #26954, is not in the pinned version). Building without AMX keeps the AVX-512 VNNI kernels and
# weight repacking. An explicit -mno-* wins over -march=native whatever their order.
if [ "$(uname -m)" = x86_64 ] && echo | "${CC:-cc}" -mno-amx-tile -mno-amx-int8 -mno-amx-bf16 -E - > /dev/null 2>&1; then
  LLAMA_EXTRA_CFLAGS="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
fi

# CMake reads CFLAGS and CXXFLAGS when it first configures a build directory.
llama_build_env() {
  export CFLAGS="${CFLAGS:-} $LLAMA_EXTRA_CFLAGS" CXXFLAGS="${CXXFLAGS:-} $LLAMA_EXTRA_CFLAGS"
}

# A build for another CPU would stop with SIGILL here (GGML_NATIVE), one with other flags may
# carry the AMX kernels: both show as a different identity.
llama_build_id() {
  {
    echo "llama-cpp-python $LLAMA_VERSION"
    echo "cmake ${LLAMA_CMAKE_ARGS:-}"
    echo "cflags $LLAMA_EXTRA_CFLAGS"
    echo | "${CC:-cc}" -march=native -dM -E - 2> /dev/null | LC_ALL=C sort
  } | sha256sum | cut -d' ' -f1
}

# Run directly (`LLAMA_VERSION=… bash deploy/llama-build.sh id`): prints the identity, for the
# tests' stand-in caches.
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ "${1:-}" = id ]; then
  : "${LLAMA_VERSION:?set LLAMA_VERSION}"
  llama_build_id
fi
