/* hello -- the smallest program: stdout works and main's return is the status. */
#include "check.h"

int main(void)
{
    printf("hello from a unikernel\n");
    pass("hello");
    return 0;
}
