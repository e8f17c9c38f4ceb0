// glibc's malloc tuning (mallopt), part of libc.
#include <malloc.h>
