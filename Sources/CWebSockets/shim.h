#ifndef PARLEY_CWEBSOCKETS_SHIM_H
#define PARLEY_CWEBSOCKETS_SHIM_H
#include <libwebsockets.h>
#endif
