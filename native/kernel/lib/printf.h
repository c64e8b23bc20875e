/* printf.h -- formatting into a buffer: %d %i %u %x %X %p %s %c %%, flags
 * '-' '0', a width, and the length modifiers l, ll, z. */
#ifndef KERNEL_PRINTF_H
#define KERNEL_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Like vsnprintf: always terminates (size > 0); returns the bytes written. */
size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
