/*
 * usermem.S -- single loads, stores and compare-exchanges on program
 * memory that another thread may unmap under our feet.  Each access
 * instruction is listed in ex_table: a page fault or general-protection
 * fault there resumes at usermem_fault, which returns -EFAULT (trap.c).
 * Each opens and closes its own SMAP window (UA_BEGIN/UA_END: stac and
 * clac where the CPU has SMAP, see cpu.h).
 *
 *   int user_load32(const uint32_t *p, uint32_t *out);
 *   int user_store32(uint32_t *p, uint32_t v);
 *   int user_cmpxchg32(uint32_t *p, uint32_t expect, uint32_t v, uint32_t *seen);
 *   All: 0, or -EFAULT.
 */
    .macro UA_BEGIN
    testl $1, cpu_smap(%rip)
    jz 8f
    stac
8:
    .endm
    .macro UA_END
    testl $1, cpu_smap(%rip)
    jz 9f
    clac
9:
    .endm

    .text
    .globl user_load32, user_store32, user_cmpxchg32
user_load32:
    UA_BEGIN
1:  movl (%rdi), %eax
    UA_END
    movl %eax, (%rsi)
    xorl %eax, %eax
    ret

user_store32:
    UA_BEGIN
2:  movl %esi, (%rdi)
    UA_END
    xorl %eax, %eax
    ret

user_cmpxchg32:
    movl %esi, %eax
    UA_BEGIN
3:  lock cmpxchgl %edx, (%rdi)
    UA_END
    movl %eax, (%rcx)
    xorl %eax, %eax
    ret

usermem_fault:
    UA_END
    movl $-14, %eax
    ret

    .section ex_table, "a"
    .p2align 3
    .quad 1b, usermem_fault
    .quad 2b, usermem_fault
    .quad 3b, usermem_fault

    .section .note.GNU-stack, "", @progbits
