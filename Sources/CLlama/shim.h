#ifndef PARLEY_CLLAMA_SHIM_H
#define PARLEY_CLLAMA_SHIM_H
#include <llama.h>
// glibc's malloc_trim: hands back memory llama.cpp's freed buffers leave with the allocator.
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#endif
