/* exitcode -- the exit status reaches the host: exits with argv[1] (default 42). */
#include <stdlib.h>

#include "check.h"

int main(int argc, char **argv)
{
    int status = argc > 1 ? atoi(argv[1]) : 42;
    pass("exitcode");
    exit(status);
}
