/*
 * aim7_test -- unit test of the workload's workfile parser, job order and
 * jobs/min arithmetic (make native-test).  Also parses the real workfiles
 * (argument: their directory) and checks their documented sizes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aim7.h"

static int failures;
pthread_mutex_t aim7_heap_lock = PTHREAD_MUTEX_INITIALIZER;

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "aim7_test: %s:%d: %s\n", __FILE__, __LINE__, #cond);                                      \
            failures++;                                                                                                \
        }                                                                                                              \
    } while (0)

/* The parser's own file needs aim7_find and aim7_mix only through aim7.h (inline). */
_Noreturn void aim7_fail(const char *test, const char *fmt, ...)
{
    (void)fmt;
    fprintf(stderr, "aim7_fail(%s)\n", test);
    exit(1);
}

static int known_abc(const char *name)
{
    return strcmp(name, "a") == 0 || strcmp(name, "b") == 0 || strcmp(name, "c") == 0;
}

static int parse(const char *text, struct aim7_workfile *wf, char *err)
{
    return aim7_workfile_parse(text, known_abc, wf, err, 160);
}

static void test_parser(void)
{
    struct aim7_workfile wf;
    char err[160];
    CHECK(parse("# comment\n\n3 a\n  1 b   # why\n2 c", &wf, err) == 0);
    CHECK(wf.count == 3 && wf.tests_per_job == 6);
    CHECK(strcmp(wf.entries[1].name, "b") == 0 && wf.entries[1].weight == 1);
    CHECK(parse("1 a\n1 d\n", &wf, err) == -1 && strstr(err, "line 2") && strstr(err, "'d'"));
    CHECK(parse("0 a\n", &wf, err) == -1 && strstr(err, "weight 0"));
    CHECK(parse("1001 a\n", &wf, err) == -1);
    CHECK(parse("-1 a\n", &wf, err) == -1);
    CHECK(parse("x a\n", &wf, err) == -1 && strstr(err, "WEIGHT NAME"));
    CHECK(parse("2a\n", &wf, err) == -1);
    CHECK(parse("1 a b\n", &wf, err) == -1 && strstr(err, "after the test name"));
    CHECK(parse("1 a\n2 a\n", &wf, err) == -1 && strstr(err, "twice"));
    CHECK(parse("# nothing\n", &wf, err) == -1 && strstr(err, "no tests"));
    char long_line[400];
    memset(long_line, 'x', sizeof long_line - 1);
    long_line[sizeof long_line - 1] = 0;
    CHECK(parse(long_line, &wf, err) == -1 && strstr(err, "longer"));
}

static void test_order(void)
{
    struct aim7_workfile wf;
    char err[160];
    CHECK(parse("3 a\n1 b\n2 c\n", &wf, err) == 0);
    int o1[6], o2[6], o3[6], counts[3] = {0};
    aim7_job_order(&wf, 7, 0, 0, o1);
    aim7_job_order(&wf, 7, 0, 0, o2);
    CHECK(memcmp(o1, o2, sizeof o1) == 0); /* the same seed, user and job: the same order */
    for (int i = 0; i < 6; i++)
        counts[o1[i]]++;
    CHECK(counts[0] == 3 && counts[1] == 1 && counts[2] == 2); /* each test as often as its weight */
    int differs = 0;
    for (int u = 1; u < 20; u++) {
        aim7_job_order(&wf, 7, u, 0, o3);
        differs += memcmp(o1, o3, sizeof o1) != 0;
    }
    CHECK(differs > 10); /* users get their own orders */
}

static void test_jpm(void)
{
    CHECK(fabs(aim7_jpm(1, 1, 60.0) - 1.0) < 1e-9);
    CHECK(fabs(aim7_jpm(4, 3, 30.0) - 24.0) < 1e-9); /* 12 jobs in half a minute */
    CHECK(fabs(aim7_jpm(2, 1, 0.5) - 240.0) < 1e-9);
    CHECK(aim7_jpm(1, 1, 0) == 0 && aim7_jpm(0, 1, 1) == 0 && aim7_jpm(1, 1, -1) == 0);
    double same[] = {2, 2, 2};
    CHECK(fabs(aim7_jti(same, 3) - 100.0) < 1e-9);
    double spread[] = {1, 3}; /* mean 2, stddev 1 */
    CHECK(fabs(aim7_jti(spread, 2) - 50.0) < 1e-9);
    double wild[] = {0, 10}; /* stddev = mean */
    CHECK(aim7_jti(wild, 2) == 0);
}

static int known_any(const char *name)
{
    return name[0] != 0;
}

static void test_workfile(const char *dir, const char *name, int tests, long per_job)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.wf", dir, name);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    struct aim7_workfile wf;
    char err[160];
    int r = aim7_workfile_parse(text, known_any, &wf, err, sizeof err);
    if (r != 0)
        fprintf(stderr, "aim7_test: %s: %s\n", path, err);
    CHECK(r == 0 && wf.count == tests && wf.tests_per_job == per_job);
}

int main(int argc, char **argv)
{
    test_parser();
    test_order();
    test_jpm();
    if (argc > 1) {
        test_workfile(argv[1], "compute", 15, 15);
        test_workfile(argv[1], "shared", 43, 54);
    }
    if (failures) {
        fprintf(stderr, "aim7_test: %d failure(s)\n", failures);
        return 1;
    }
    printf("aim7_test: workfile parser, job order, jobs/min and the workfiles passed\n");
    return 0;
}
