#ifndef NEWT_CZLIB_SHIM_H
#define NEWT_CZLIB_SHIM_H
/* zlib: deflate for PNG image data and CRC-32 for PNG chunks. */
#include <zlib.h>
#endif
