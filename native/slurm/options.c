/* native/slurm/options.c -- parsing `--azalea[=OPTIONS]` (see options.h).
 * No Slurm headers here: the unit test (options_test.c) links this alone. */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* A decimal integer in [lo, hi], nothing else (no sign, no spaces, no 0x). */
static int parse_int(const char *v, long lo, long hi, long *out)
{
    if (*v == '\0' || strlen(v) > 10)
        return -1;
    for (const char *p = v; *p; p++)
        if (!isdigit((unsigned char)*p))
            return -1;
    errno = 0;
    long n = strtol(v, NULL, 10);
    if (errno || n < lo || n > hi)
        return -1;
    *out = n;
    return 0;
}

/* A size as azalea reads it: digits, then optionally K, M, G or T (and B or iB). */
static int size_ok(const char *v)
{
    size_t n = strlen(v), digits = 0;
    if (n == 0 || n > 16)
        return 0;
    while (digits < n && isdigit((unsigned char)v[digits]))
        digits++;
    if (digits == 0 || digits > 12)
        return 0;
    const char *suffix = v + digits;
    static const char *const ok[] = {"",  "K",  "M",  "G",  "T",   "k",   "m",   "g",
                                     "t", "KB", "MB", "GB", "KiB", "MiB", "GiB", NULL};
    for (int i = 0; ok[i]; i++)
        if (strcmp(suffix, ok[i]) == 0)
            return strtoull(v, NULL, 10) > 0;
    return 0;
}

/* An absolute path without "..": it is handed to another program as one argument
 * (control characters were refused with the whole string). */
static int path_ok(const char *v)
{
    if (v[0] != '/' || strlen(v) >= AZ_OPT_VALUE_MAX)
        return 0;
    return strstr(v, "/../") == NULL && (strlen(v) < 3 || strcmp(v + strlen(v) - 3, "/..") != 0);
}

/* NAME[:NAME...], each [A-Za-z_][A-Za-z0-9_]* optionally ending in '*'. */
static int env_ok(const char *v)
{
    if (*v == '\0' || strlen(v) >= AZ_OPT_VALUE_MAX)
        return 0;
    const char *p = v;
    while (1) {
        if (!(isalpha((unsigned char)*p) || *p == '_'))
            return 0;
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
        if (*p == '*')
            p++;
        if (*p == '\0')
            return 1;
        if (*p != ':')
            return 0;
        p++;
    }
}

static int set_string(char *dst, size_t cap, const char *v)
{
    if (strlen(v) >= cap)
        return -1;
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

static int one(struct az_opts *o, const char *key, const char *v, char *err, size_t errlen)
{
    long n;
    if (strcmp(key, "cores") == 0) {
        if (parse_int(v, 1, AZ_OPT_MAX_CPUS, &n))
            return fail(err, errlen, "cores=%s: a number of cores, 1..%d", v, AZ_OPT_MAX_CPUS);
        o->cores = (int)n;
    } else if (strcmp(key, "quadrant") == 0) {
        if (parse_int(v, 0, AZ_OPT_MAX_CPUS - 1, &n))
            return fail(err, errlen, "quadrant=%s: a quadrant number, 0..%d", v, AZ_OPT_MAX_CPUS - 1);
        o->quadrant = (int)n;
    } else if (strcmp(key, "mem") == 0) {
        if (!size_ok(v) || set_string(o->mem, sizeof o->mem, v))
            return fail(err, errlen, "mem=%s: a size such as 64M or 1G", v);
    } else if (strcmp(key, "root") == 0) {
        if (!path_ok(v) || set_string(o->root, sizeof o->root, v))
            return fail(err, errlen, "root=%s: an absolute directory path (printable, no '..', under %d bytes)", v,
                        AZ_OPT_VALUE_MAX);
    } else if (strcmp(key, "timeout") == 0) {
        if (parse_int(v, 1, 100000000, &n))
            return fail(err, errlen, "timeout=%s: seconds, 1..100000000", v);
        o->timeout = (int)n;
    } else if (strcmp(key, "net") == 0) {
        if (strcmp(v, "none") != 0 && strcmp(v, "loopback") != 0 && strcmp(v, "host") != 0)
            return fail(err, errlen, "net=%s: none, loopback or host (the network each task's instance reaches)", v);
        set_string(o->net, sizeof o->net, v);
    } else if (strcmp(key, "env") == 0) {
        if (!env_ok(v) || set_string(o->env, sizeof o->env, v))
            return fail(err, errlen,
                        "env=%s: variable names separated by ':', each may end in '*' (e.g. env=MY_*:OMP_NUM_THREADS)",
                        v);
    } else if (strcmp(key, "smp") == 0) {
        if (parse_int(v, 2, AZ_OPT_MAX_CPUS, &n))
            return fail(err, errlen, "smp=%s: the node's CPUs, 2..%d", v, AZ_OPT_MAX_CPUS);
        o->smp = (int)n;
    } else if (strcmp(key, "quadrants") == 0) {
        if (parse_int(v, 1, AZ_OPT_MAX_CPUS, &n))
            return fail(err, errlen, "quadrants=%s: 1..%d", v, AZ_OPT_MAX_CPUS);
        o->quadrants = (int)n;
    } else if (strcmp(key, "node-mem") == 0) {
        if (!size_ok(v) || set_string(o->node_mem, sizeof o->node_mem, v))
            return fail(err, errlen, "node-mem=%s: a size such as 512M (memory of each quadrant of the node)", v);
    } else if (strcmp(key, "fwk") == 0) {
        if ((strcmp(v, "none") != 0 && parse_int(v, 0, AZ_OPT_MAX_CPUS - 1, &n)) ||
            set_string(o->fwk, sizeof o->fwk, v))
            return fail(err, errlen, "fwk=%s: the full-weight kernel's quadrant number, or none", v);
    } else if (strcmp(key, "accel") == 0) {
        if (strcmp(v, "auto") != 0 && strcmp(v, "kvm") != 0 && strcmp(v, "tcg") != 0)
            return fail(err, errlen, "accel=%s: auto, kvm or tcg", v);
        set_string(o->accel, sizeof o->accel, v);
    } else {
        return fail(
            err, errlen,
            "unknown option '%s' (known: cores, mem, quadrant, root, timeout, net, env; for the job's node: smp, "
            "quadrants, node-mem, fwk, accel)",
            key);
    }
    return 0;
}

int az_opts_parse(const char *text, struct az_opts *o, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->quadrant = -1;
    o->active = 1;
    if (text == NULL || *text == '\0')
        return 0;
    size_t len = strlen(text);
    if (len >= AZ_OPT_MAX_LEN)
        return fail(err, errlen, "the options are %zu bytes long; at most %d", len, AZ_OPT_MAX_LEN - 1);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
            return fail(err, errlen, "the options contain a control character (byte %zu)", i + 1);
    char buf[AZ_OPT_MAX_LEN];
    memcpy(buf, text, len + 1);
    char *save = NULL;
    for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (eq == NULL || eq == item)
            return fail(err, errlen, "'%s' is not KEY=VALUE (e.g. --azalea=cores=2,mem=256M)", item);
        *eq = '\0';
        if (eq[1] == '\0')
            return fail(err, errlen, "%s= has no value", item);
        if (one(o, item, eq + 1, err, errlen))
            return -1;
    }
    if (o->smp && o->quadrants && o->smp % o->quadrants != 0)
        return fail(err, errlen, "smp=%d cannot be split evenly into quadrants=%d", o->smp, o->quadrants);
    return 0;
}

int az_count_cpu_list(const char *list)
{
    if (list == NULL || *list == '\0')
        return -1;
    int count = 0;
    const char *p = list;
    while (*p) {
        char *end;
        if (!isdigit((unsigned char)*p))
            return -1;
        long a = strtol(p, &end, 10), b = a;
        p = end;
        if (*p == '-') {
            p++;
            if (!isdigit((unsigned char)*p))
                return -1;
            b = strtol(p, &end, 10);
            p = end;
        }
        if (a < 0 || b < a || b > 1000000)
            return -1;
        count += (int)(b - a + 1);
        if (*p == ',')
            p++;
        else if (*p != '\0')
            return -1;
    }
    return count;
}
