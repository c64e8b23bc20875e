/*
 * chatty -- writes BYTES bytes of numbered lines to stdout, as a program that
 * prints without end would: with serial stdio they land on the node's console,
 * which the host caps (node.log).
 *
 *   chatty BYTES
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

int main(int argc, char **argv)
{
    CHECK(argc == 2);
    long total = atol(argv[1]);
    CHECK(total > 0);
    char line[128];
    long done = 0;
    for (long i = 0; done < total; i++) {
        int n = snprintf(line, sizeof line, "chatty line %ld: the quick brown fox jumps over the lazy dog\n", i);
        CHECK(n > 0 && n < (int)sizeof line);
        CHECK(write(1, line, (size_t)n) == n);
        done += n;
    }
    pass("chatty");
    return 0;
}
