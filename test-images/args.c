/*
 * args -- the process stack: argv and envp as the host wrote them, and the
 * auxiliary vector a static program relies on.
 *   args ONE TWO   (with HOME=/ in the environment, as the runners give it)
 */
#include <elf.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "check.h"

extern char **environ;

int main(int argc, char **argv)
{
    CHECK(argc == 3);
    CHECK(strcmp(argv[1], "ONE") == 0);
    CHECK(strcmp(argv[2], "TWO") == 0);
    CHECK(argv[3] == NULL);
    CHECK(getenv("HOME") && strcmp(getenv("HOME"), "/") == 0);
    int envc = 0;
    for (char **e = environ; *e; e++)
        envc++;
    CHECK(envc >= 1);

    CHECK(getauxval(AT_PAGESZ) == 4096);
    CHECK(getauxval(AT_CLKTCK) == 100);
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    CHECK(rnd != NULL);
    int nonzero = 0;
    for (int i = 0; i < 16; i++)
        nonzero |= rnd[i];
    CHECK(nonzero);
    const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
    CHECK(ph != NULL && getauxval(AT_PHENT) == sizeof(Elf64_Phdr) && getauxval(AT_PHNUM) > 0);
    int loads = 0;
    for (unsigned long i = 0; i < getauxval(AT_PHNUM); i++)
        loads += ph[i].p_type == PT_LOAD;
    CHECK(loads > 0);
    CHECK(getauxval(AT_ENTRY) != 0);
    CHECK(getauxval(AT_HWCAP) & (1u << 25)); /* SSE */
    const char *platform = (const char *)getauxval(AT_PLATFORM);
    CHECK(platform && strcmp(platform, "x86_64") == 0);
    CHECK(getauxval(AT_EXECFN) && strcmp((const char *)getauxval(AT_EXECFN), argv[0]) == 0);
    CHECK(getpid() > 0 && getuid() == 0);
    /* The stack is 16-byte aligned at entry, so this is too. */
    long long aligned __attribute__((aligned(16))) = 0;
    CHECK(((unsigned long)&aligned & 15) == 0);
    pass("args");
    return 0;
}
