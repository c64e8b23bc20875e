/* transcript.c -- the workloads' line format (see transcript.h). */
#define _GNU_SOURCE
#include "transcript.h"

#include <stdarg.h>
#include <string.h>

const char *tr_errno_name(int e)
{
    /* glibc's table; a number only for values it does not name. */
    const char *name = strerrorname_np(e);
    static __thread char unknown[24];
    if (name)
        return name;
    snprintf(unknown, sizeof unknown, "E%d", e);
    return unknown;
}

static void put_result(FILE *out, long result, long want)
{
    if (result >= 0 && want == WANT_FD)
        fputs("fd", out);
    else if (result >= 0 && want == WANT_OK)
        fputs("ok", out);
    else if (result < 0)
        fprintf(out, "-%s", tr_errno_name((int)-result));
    else
        fprintf(out, "%ld", result);
}

long tr_step(struct transcript *t, const char *name, long result, long want, const char *fmt, ...)
{
    fprintf(t->out, "%s ", name);
    put_result(t->out, result, want);
    if (fmt) {
        char extra[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(extra, sizeof extra, fmt, ap);
        va_end(ap);
        if (*extra)
            fprintf(t->out, " %s", extra);
    }
    int ok = (want == WANT_FD || want == WANT_OK) ? result >= 0 : result == want;
    if (!ok) {
        t->failures++;
        fputs(" UNEXPECTED want=", t->out);
        if (want == WANT_FD || want == WANT_OK)
            fputs(">=0", t->out);
        else
            put_result(t->out, want, 0);
    }
    fputc('\n', t->out);
    return result;
}

void tr_check(struct transcript *t, const char *name, int ok)
{
    if (!ok) {
        t->failures++;
        fprintf(t->out, "%s check-failed\n", name);
    }
}

int tr_finish(struct transcript *t)
{
    fprintf(t->out, "done failures=%d\n", t->failures);
    fflush(t->out);
    return t->failures;
}

const char *tr_escape(char *dst, size_t cap, const void *data, size_t n)
{
    const unsigned char *s = data;
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++) {
        unsigned char c = s[i];
        if (c == '\n')
            o += (size_t)snprintf(dst + o, cap - o, "\\n");
        else if (c == '"' || c == '\\')
            o += (size_t)snprintf(dst + o, cap - o, "\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            dst[o++] = (char)c;
        else
            o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", c);
    }
    dst[o < cap ? o : cap - 1] = 0;
    return dst;
}
