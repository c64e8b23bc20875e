/* workfile.c -- the workfile: which tests make a job, and how many times each. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aim7.h"

int aim7_workfile_parse(const char *text, int (*known)(const char *), struct aim7_workfile *wf, char *err,
                        size_t errlen)
{
    memset(wf, 0, sizeof *wf);
    int line = 0;
    const char *p = text;
    while (*p) {
        line++;
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char buf[256];
        if (len >= sizeof buf) {
            snprintf(err, errlen, "line %d: longer than %zu characters", line, sizeof buf - 1);
            return -1;
        }
        memcpy(buf, p, len);
        buf[len] = 0;
        p += len + (end ? 1 : 0);
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = 0;
        char *s = buf;
        while (isspace((unsigned char)*s))
            s++;
        if (!*s)
            continue;
        char *after;
        long weight = strtol(s, &after, 10);
        if (after == s || !isspace((unsigned char)*after)) {
            snprintf(err, errlen, "line %d: expected WEIGHT NAME", line);
            return -1;
        }
        if (weight < 1 || weight > AIM7_MAX_WEIGHT) {
            snprintf(err, errlen, "line %d: weight %ld is not 1..%d", line, weight, AIM7_MAX_WEIGHT);
            return -1;
        }
        while (isspace((unsigned char)*after))
            after++;
        char *name = after;
        while (*after && !isspace((unsigned char)*after))
            after++;
        char *rest = after;
        while (isspace((unsigned char)*rest))
            rest++;
        *after = 0;
        if (*rest) {
            snprintf(err, errlen, "line %d: unexpected '%s' after the test name", line, rest);
            return -1;
        }
        if (strlen(name) >= sizeof wf->entries[0].name) {
            snprintf(err, errlen, "line %d: test name too long", line);
            return -1;
        }
        if (known && !known(name)) {
            snprintf(err, errlen, "line %d: no test named '%s'", line, name);
            return -1;
        }
        for (int i = 0; i < wf->count; i++) {
            if (strcmp(wf->entries[i].name, name) == 0) {
                snprintf(err, errlen, "line %d: '%s' listed twice", line, name);
                return -1;
            }
        }
        if (wf->count == AIM7_MAX_ENTRIES) {
            snprintf(err, errlen, "line %d: more than %d tests", line, AIM7_MAX_ENTRIES);
            return -1;
        }
        strcpy(wf->entries[wf->count].name, name);
        wf->entries[wf->count].weight = (int)weight;
        wf->count++;
        wf->tests_per_job += weight;
    }
    if (wf->count == 0) {
        snprintf(err, errlen, "no tests");
        return -1;
    }
    return 0;
}

/* xorshift64*: a user's private generator; the same seed gives the same order everywhere. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

void aim7_job_order(const struct aim7_workfile *wf, uint64_t seed, int user, int job, int *order)
{
    long k = 0;
    for (int i = 0; i < wf->count; i++)
        for (int w = 0; w < wf->entries[i].weight; w++)
            order[k++] = i;
    uint64_t s = aim7_mix(seed ^ aim7_mix(((uint64_t)user << 32) | (uint32_t)job)) | 1;
    for (long i = k - 1; i > 0; i--) {
        long j = (long)(next(&s) % (uint64_t)(i + 1));
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}
