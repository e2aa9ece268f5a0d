#ifndef PARLEY_CWEBSOCKETS_SHIM_H
#define PARLEY_CWEBSOCKETS_SHIM_H
#include <libwebsockets.h>

// LWS_PRE is a function-like macro expression that Swift does not import: the headroom lws_write
// needs in front of every payload.
static inline size_t parley_lws_pre(void) { return LWS_PRE; }
#endif
