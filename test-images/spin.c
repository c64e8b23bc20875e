/*
 * spin -- never ends on its own: for testing that the host can stop an
 * instance.  "spin threads" spins on every core of the instance (one
 * thread each), so a STOP must reach busy members as well as the lead.
 * "spin cli" tries to disable interrupts first: programs run in ring 3,
 * so that is a general-protection fault and the program ends with SIGSEGV
 * (status 139) instead of spinning.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static void *spin(void *arg)
{
    (void)arg;
    for (volatile unsigned long i = 0;; i++)
        ;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "threads") == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        for (long i = 1; i < n; i++) {
            pthread_t t;
            CHECK(pthread_create(&t, 0, spin, 0) == 0);
        }
    }
    printf("AZALEA-TEST-SPINNING\n");
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "cli") == 0)
        __asm__ volatile("cli");
    spin(0);
}
