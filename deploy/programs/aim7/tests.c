/* tests.c -- every test of the workload, found by name. */
#include <string.h>

#include "aim7.h"

const struct aim7_test *aim7_find(const char *name)
{
    const struct aim7_test *groups[] = {aim7_arith_tests, aim7_disk_tests, aim7_net_tests, aim7_misc_tests};
    size_t counts[] = {aim7_arith_count, aim7_disk_count, aim7_net_count, aim7_misc_count};
    for (size_t g = 0; g < 4; g++)
        for (size_t i = 0; i < counts[g]; i++)
            if (strcmp(groups[g][i].name, name) == 0)
                return &groups[g][i];
    return NULL;
}
