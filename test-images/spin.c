/*
 * spin -- never ends on its own: for testing that the host can stop an
 * instance.  "spin cli" first disables interrupts (programs run in ring 0,
 * so it can), which only an NMI gets through.
 */
#include <string.h>

#include "check.h"

int main(int argc, char **argv)
{
    printf("AZALEA-TEST-SPINNING\n");
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "cli") == 0)
        __asm__ volatile("cli");
    for (volatile unsigned long i = 0;; i++)
        ;
}
