/* string.h -- the few libc string functions the kernel uses. */
#ifndef KERNEL_STRING_H
#define KERNEL_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
/* Copies at most size - 1 bytes and always terminates (size > 0). */
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
