/* string.c -- rep-string implementations: short, and fast under TCG. */
#include "string.h"

#include <stdint.h>

/*
 * Word loops, not rep movsb/stosb: under QEMU's TCG a rep string
 * instruction runs one element per trip through the translator (~7 ms
 * for a 140 KiB memset), while a plain loop is compiled to host code.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
        for (; n >= 32; n -= 32, d += 32, s += 32) {
            uint64_t a = ((const uint64_t *)s)[0], b = ((const uint64_t *)s)[1];
            uint64_t c = ((const uint64_t *)s)[2], e = ((const uint64_t *)s)[3];
            ((uint64_t *)d)[0] = a;
            ((uint64_t *)d)[1] = b;
            ((uint64_t *)d)[2] = c;
            ((uint64_t *)d)[3] = e;
        }
        for (; n >= 8; n -= 8, d += 8, s += 8)
            *(uint64_t *)d = *(const uint64_t *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    if ((uintptr_t)dst <= (uintptr_t)src || (uintptr_t)dst >= (uintptr_t)src + n)
        return memcpy(dst, src, n);
    /* Overlapping with the destination above: copy backwards. */
    unsigned char *d = (unsigned char *)dst + n;
    const unsigned char *s = (const unsigned char *)src + n;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0)
        for (; n >= 8; n -= 8) {
            d -= 8;
            s -= 8;
            *(uint64_t *)d = *(const uint64_t *)s;
        }
    while (n--)
        *--d = *--s;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    uint64_t w = 0x0101010101010101ull * (unsigned char)c;
    for (; n && ((uintptr_t)d & 7); n--)
        *d++ = (unsigned char)c;
    for (; n >= 32; n -= 32, d += 32) {
        ((uint64_t *)d)[0] = w;
        ((uint64_t *)d)[1] = w;
        ((uint64_t *)d)[2] = w;
        ((uint64_t *)d)[3] = w;
    }
    for (; n >= 8; n -= 8, d += 8)
        *(uint64_t *)d = w;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    size_t i = 0;
    if ((((uintptr_t)x | (uintptr_t)y) & 7) == 0)
        while (i + 8 <= n && *(const uint64_t *)(x + i) == *(const uint64_t *)(y + i))
            i += 8;
    for (; i < n; i++)
        if (x[i] != y[i])
            return x[i] - y[i];
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    size_t n = len < size - 1 ? len : size - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
    return len;
}
