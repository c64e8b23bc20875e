/*
 * stack.c -- the initial process stack, as Linux builds it for a static
 * executable (System V x86-64 ABI, 3.4.1):
 *
 *   stack top ->  argument and environment strings, "x86_64", 16 random bytes
 *                 (padding to 16)
 *                 auxv pairs, ending with AT_NULL
 *                 envp[envc] = NULL, envp[...]
 *                 argv[argc] = NULL, argv[...]
 *   %rsp ->       argc                               (16-byte aligned)
 *
 * Runs on the node page tables: the stack is identity mapped, so its
 * addresses are written directly.
 */
#include "arch/cpu.h"
#include "inst/inst.h"
#include "layout.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"

#define AT_NULL     0
#define AT_PHDR     3
#define AT_PHENT    4
#define AT_PHNUM    5
#define AT_PAGESZ   6
#define AT_BASE     7
#define AT_FLAGS    8
#define AT_ENTRY    9
#define AT_UID      11
#define AT_EUID     12
#define AT_GID      13
#define AT_EGID     14
#define AT_PLATFORM 15
#define AT_HWCAP    16
#define AT_CLKTCK   17
#define AT_SECURE   23
#define AT_RANDOM   25
#define AT_HWCAP2   26
#define AT_EXECFN   31
#define NAUXV       20

#define FAIL(e, ...)                                                                                                   \
    do {                                                                                                               \
        ksnprintf(msg, MSG_MAX, __VA_ARGS__);                                                                          \
        *err = -(e);                                                                                                   \
        return 0;                                                                                                      \
    } while (0)

uint64_t stack_build(struct instance *in, char *msg, int *err)
{
    /* The strings: argc + envc of them, each ending inside the blob. */
    const char *blob = (const char *)in->strings_gpa;
    uint64_t nstr = (uint64_t)in->argc + in->envc, used = 0;
    if (in->argc == 0)
        FAIL(EINVAL, "boot descriptor: argc is 0 (argv[0] names the program)");
    for (uint64_t i = 0; i < nstr; i++) {
        uint64_t n = strnlen(blob + used, in->strings_size - used);
        if (used + n >= in->strings_size)
            FAIL(EINVAL, "boot descriptor: string %lu runs past strings_size", i);
        used += n + 1;
    }
    uint64_t words = 1 + (in->argc + 1) + (in->envc + 1) + 2 * NAUXV;
    uint64_t size = (in->stack_size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    if (used + 64 + words * 8 > size / 4)
        FAIL(E2BIG, "arguments and environment (%lu bytes) exceed a quarter of the stack", used);

    /* The stack at the top of the partition, a guard page below it. */
    uint64_t lo = vma_find_gap(&in->map, size + PAGE_SIZE, PAGE_SIZE, 0, in->mem_hi);
    if (!lo)
        FAIL(ENOMEM, "no room for a %lu-byte stack", size);
    struct vma guard = {lo, lo + PAGE_SIZE, 0, PROT_NONE, VMA_USER, 0};
    struct vma st = {lo + PAGE_SIZE, lo + PAGE_SIZE + size, 0, PROT_READ | PROT_WRITE, VMA_USER, 0};
    if (vma_insert(&in->map, &guard) || vma_insert(&in->map, &st) || mm_apply(in, st.start, st.end))
        FAIL(ENOMEM, "no memory for the stack");
    in->mmap_top = lo;
    uint64_t top = st.end;

    /* Only the part we write needs zeroing: the rest is the program's to fill. */
    uint64_t sp = top - used;
    user_access_begin(); /* the stack is the program's (SMAP) */
    memcpy((void *)sp, blob, used);
    uint64_t strings = sp;
    sp -= 8;
    memcpy((void *)sp, "x86_64", 7);
    uint64_t platform = sp;
    sp -= 16;
    random_bytes(in, (void *)sp, 16);
    uint64_t rnd = sp;
    sp &= ~15ull;
    if (words % 2)
        sp -= 8; /* so that %rsp ends 16-byte aligned */
    sp -= words * 8;
    uint64_t *w = (uint64_t *)sp;
    *w++ = in->argc;
    uint64_t at = strings;
    for (uint64_t i = 0; i < nstr; i++) {
        *w++ = at;
        at += strlen((const char *)at) + 1;
        if (i + 1 == in->argc)
            *w++ = 0; /* argv's NULL */
    }
    *w++ = 0; /* envp's NULL */
    const uint64_t aux[NAUXV * 2] = {
        AT_PHDR,     in->phdr,
        AT_PHENT,    in->phent,
        AT_PHNUM,    in->phnum,
        AT_PAGESZ,   PAGE_SIZE,
        AT_BASE,     0,
        AT_FLAGS,    0,
        AT_ENTRY,    in->entry,
        AT_UID,      0,
        AT_EUID,     0,
        AT_GID,      0,
        AT_EGID,     0,
        AT_PLATFORM, platform,
        AT_HWCAP,    cpu_features.hwcap,
        AT_HWCAP2,   0,
        AT_CLKTCK,   100,
        AT_SECURE,   0,
        AT_RANDOM,   rnd,
        AT_EXECFN,   strings,
        AT_NULL,     0,
        AT_NULL,     0,
    };
    memcpy(w, aux, sizeof aux);
    user_access_end();
    return sp;
}
