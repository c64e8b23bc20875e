/* console.c -- polled 16550 output on COM1, the node's log. */
#include "console.h"

#include <stdarg.h>

#include "arch/x86.h"
#include "lib/printf.h"
#include "lib/spinlock.h"
#include "node/node.h"
#include "percpu.h"

#define COM1 0x3F8

static struct spinlock console_lock;

void console_init(void)
{
    outb(COM1 + 1, 0x00); /* no interrupts */
    outb(COM1 + 3, 0x80); /* DLAB: set the divisor */
    outb(COM1 + 0, 0x01); /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); /* 8N1 */
    outb(COM1 + 2, 0xC7); /* FIFO on, cleared */
    outb(COM1 + 4, 0x03); /* DTR, RTS */
}

static void putc_raw(char c)
{
    /* Transmit-holding-register empty; bounded so a missing UART cannot hang us. */
    for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
        pause();
    outb(COM1, (uint8_t)c);
}

static void write_raw(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            putc_raw('\r');
        putc_raw(s[i]);
    }
}

void console_write(const char *s, size_t n)
{
    spin_lock(&console_lock);
    write_raw(s, n);
    spin_unlock(&console_lock);
}

static void vlog(const char *fmt, va_list ap)
{
    char line[256];
    size_t n = ksnprintf(line, sizeof line, "[cpu%u] ", this_cpu_index());
    n += kvsnprintf(line + n, sizeof line - n, fmt, ap);
    console_write(line, n);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    cli();
    va_start(ap, fmt);
    kvsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kprintf("PANIC: %s\n", msg);
    node_panic(msg);
    for (;;)
        __asm__ volatile("cli; hlt");
}
