/* crash -- an intentional page fault: the instance must end FAULTED with
 * vector 14 and the address below, and the node must carry on. */
#include "check.h"

int main(void)
{
    printf("AZALEA-TEST-CRASHING\n");
    fflush(stdout);
    volatile int *p = (volatile int *)0xdead000;
    *p = 1;
    printf("FAIL: still alive\n");
    return 1;
}
