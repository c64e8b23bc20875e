/*
 * transcript.h -- the workloads' output: one line per step,
 *
 *     <step-name> <result>[ <extra>...]
 *
 * <result> is the call's result normalised so a run through the proxy and a
 * run straight on the host print the same: a decimal number where it is
 * deterministic (sizes, offsets, counts), "fd" or "ok" where it is not (fd
 * numbers, lengths of host paths), "-ENAME" for an error.  <extra> is
 * key=value pairs (sizes, modes in octal, link counts, data as an escaped
 * string); never inode numbers, times, or absolute host paths.
 *
 * Each step also carries what Linux should answer; a different result adds
 * " UNEXPECTED want=<x>" to its line and counts as a failure.  The last line
 * is "done failures=<n>".
 */
#ifndef AZALEA_TRANSCRIPT_H
#define AZALEA_TRANSCRIPT_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

/* Special wants: any result >= 0, shown as "fd" or as "ok". */
#define WANT_FD LONG_MIN
#define WANT_OK (LONG_MIN + 1)

struct transcript {
    FILE *out;
    int failures;
};

/* Prints a step's line (see above) and returns `result`. */
long tr_step(struct transcript *t, const char *name, long result, long want, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A check on a step's data: prints "<name> check-failed" and counts it when !ok. */
void tr_check(struct transcript *t, const char *name, int ok);

/* Ends the transcript: "done failures=<n>"; returns the failures. */
int tr_finish(struct transcript *t);

/* "ENOENT" for 2 (Linux's names). */
const char *tr_errno_name(int e);

/* `n` bytes as a C-like string literal body (\n, \xHH) into dst; always NUL-terminated. */
const char *tr_escape(char *dst, size_t cap, const void *data, size_t n);

#endif
