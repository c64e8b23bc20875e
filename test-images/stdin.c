/* stdin -- reads its standard input to the end and reports the byte and line counts. */
#include <unistd.h>

#include "check.h"

int main(void)
{
    char buf[4096];
    long bytes = 0, lines = 0;
    for (ssize_t n; (n = read(0, buf, sizeof buf)) != 0;) {
        CHECK(n > 0);
        for (ssize_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
        bytes += n;
    }
    printf("stdin: %ld bytes, %ld lines\n", bytes, lines);
    pass("stdin");
    return 0;
}
