/*
 * console.h -- the node log on COM1.  Every line is prefixed with the CPU
 * index and written whole under one lock, so lines from 72 cores never mix.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>

void console_init(void);
/* Raw bytes, under the console lock (program output in serial stdio mode). */
void console_write(const char *s, size_t n);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A broken kernel invariant: logs, marks the node PANIC and stops this CPU. */
__attribute__((noreturn)) void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
