#ifndef PARLEY_CZLIB_SHIM_H
#define PARLEY_CZLIB_SHIM_H
// zlib-stream gateway compression.
#include <zlib.h>

// inflateInit/deflateInit are macros passing the version and struct size: Swift cannot call them.
static inline int parley_inflate_init(z_stream *s) { return inflateInit(s); }
static inline int parley_deflate_init(z_stream *s, int level) { return deflateInit(s, level); }
#endif
