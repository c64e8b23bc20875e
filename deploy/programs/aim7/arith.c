/*
 * arith.c -- AIM7's arithmetic tests: add, multiply and divide on int,
 * short, long, float and double, 12 operations per loop iteration, with
 * AIM7's per-test loop counts (add int/long 5M, short 2M, double 1.5M,
 * float 1M; mul double/float 1M, short 25k, int/long 20k; div double/float
 * 250k, int/long/short 75k).
 *
 * The operands go through an empty asm after every two operations: the
 * compiler can neither fold the 12 operations into one nor replace the loop by
 * its closed form, so the machine does every operation the count says.  Each
 * iteration's operations return the operands to their start values (a cycle
 * of six add/subtract pairs; x -1 twelve times; / -1 and /2 x2 pairs), which
 * is checked.
 */
#include <string.h>

#include "aim7.h"

#define KEEP_INT(a, b) __asm__ volatile("" : "+r"(a), "+r"(b))
#define KEEP_FP(a, b)  __asm__ volatile("" : "+x"(a), "+x"(b))

static uint64_t bits_of(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* add: (a, b) -> (a + b, b - (a + b)) six times is the identity. */
#define ADD_TEST(T, NAME, COUNT, KEEP)                                                                                 \
    static uint64_t add_##NAME(const struct aim7_ctx *c)                                                               \
    {                                                                                                                  \
        long n = aim7_loops(c, COUNT);                                                                                 \
        volatile T start_a = 3, start_b = 5;                                                                           \
        T a = start_a, b = start_b;                                                                                    \
        for (long i = 0; i < n; i++) {                                                                                 \
            for (int k = 0; k < 6; k++) {                                                                              \
                a = (T)(a + b);                                                                                        \
                b = (T)(b - a);                                                                                        \
                KEEP(a, b);                                                                                            \
            }                                                                                                          \
        }                                                                                                              \
        if (a != start_a || b != start_b)                                                                              \
            aim7_fail("add_" #NAME, "ended at (%g, %g), not (3, 5)", (double)a, (double)b);                            \
        return aim7_mix(0xadd0 + (uint64_t)n) + bits_of((double)a * 7 + b);                                            \
    }

/* mul: twelve multiplications by -1 (ints), by 2 then 0.5 (floating point). */
#define MUL_TEST(T, NAME, COUNT, KEEP, F1, F2)                                                                         \
    static uint64_t mul_##NAME(const struct aim7_ctx *c)                                                               \
    {                                                                                                                  \
        long n = aim7_loops(c, COUNT);                                                                                 \
        volatile T f1 = F1, f2 = F2, start = 7;                                                                        \
        T a = start, m1 = f1, m2 = f2;                                                                                 \
        for (long i = 0; i < n; i++) {                                                                                 \
            for (int k = 0; k < 6; k++) {                                                                              \
                a = (T)(a * m1);                                                                                       \
                a = (T)(a * m2);                                                                                       \
                KEEP(a, m1);                                                                                           \
            }                                                                                                          \
        }                                                                                                              \
        if (a != start)                                                                                                \
            aim7_fail("mul_" #NAME, "ended at %g, not 7", (double)a);                                                  \
        return aim7_mix(0x3110 + (uint64_t)n) + bits_of((double)a);                                                    \
    }

/* div: twelve divisions by -1 (ints), by 0.5 then 2 (floating point). */
#define DIV_TEST(T, NAME, COUNT, KEEP, D1, D2)                                                                         \
    static uint64_t div_##NAME(const struct aim7_ctx *c)                                                               \
    {                                                                                                                  \
        long n = aim7_loops(c, COUNT);                                                                                 \
        volatile T d1 = D1, d2 = D2, start = 11;                                                                       \
        T a = start, q1 = d1, q2 = d2;                                                                                 \
        for (long i = 0; i < n; i++) {                                                                                 \
            for (int k = 0; k < 6; k++) {                                                                              \
                a = (T)(a / q1);                                                                                       \
                a = (T)(a / q2);                                                                                       \
                KEEP(a, q1);                                                                                           \
            }                                                                                                          \
        }                                                                                                              \
        if (a != start)                                                                                                \
            aim7_fail("div_" #NAME, "ended at %g, not 11", (double)a);                                                 \
        return aim7_mix(0xd1f0 + (uint64_t)n) + bits_of((double)a);                                                    \
    }

ADD_TEST(int, int, 5000000, KEEP_INT)
ADD_TEST(short, short, 2000000, KEEP_INT)
ADD_TEST(long, long, 5000000, KEEP_INT)
ADD_TEST(float, float, 1000000, KEEP_FP)
ADD_TEST(double, double, 1500000, KEEP_FP)
MUL_TEST(int, int, 20000, KEEP_INT, -1, -1)
MUL_TEST(short, short, 25000, KEEP_INT, -1, -1)
MUL_TEST(long, long, 20000, KEEP_INT, -1, -1)
MUL_TEST(float, float, 1000000, KEEP_FP, 2.0f, 0.5f)
MUL_TEST(double, double, 1000000, KEEP_FP, 2.0, 0.5)
DIV_TEST(int, int, 75000, KEEP_INT, -1, -1)
DIV_TEST(short, short, 75000, KEEP_INT, -1, -1)
DIV_TEST(long, long, 75000, KEEP_INT, -1, -1)
DIV_TEST(float, float, 250000, KEEP_FP, 0.5f, 2.0f)
DIV_TEST(double, double, 250000, KEEP_FP, 0.5, 2.0)

const struct aim7_test aim7_arith_tests[] = {
    {"add_int", add_int},       {"add_short", add_short},   {"add_long", add_long},     {"add_float", add_float},
    {"add_double", add_double}, {"mul_int", mul_int},       {"mul_short", mul_short},   {"mul_long", mul_long},
    {"mul_float", mul_float},   {"mul_double", mul_double}, {"div_int", div_int},       {"div_short", div_short},
    {"div_long", div_long},     {"div_float", div_float},   {"div_double", div_double},
};
const size_t aim7_arith_count = sizeof aim7_arith_tests / sizeof aim7_arith_tests[0];
