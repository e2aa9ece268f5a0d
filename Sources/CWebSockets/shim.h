#ifndef PARLEY_CWEBSOCKETS_SHIM_H
#define PARLEY_CWEBSOCKETS_SHIM_H
#include <libwebsockets.h>
// zlib-stream gateway compression; libwebsockets links zlib already.
#include <zlib.h>

// inflateInit/deflateInit are macros passing the version and struct size: Swift cannot call them.
static inline int parley_inflate_init(z_stream *s) { return inflateInit(s); }
static inline int parley_deflate_init(z_stream *s, int level) { return deflateInit(s, level); }

// LWS_PRE is a function-like macro expression that Swift does not import: the headroom lws_write
// needs in front of every payload.
static inline size_t parley_lws_pre(void) { return LWS_PRE; }
#endif
