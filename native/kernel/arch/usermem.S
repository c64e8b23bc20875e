/*
 * usermem.S -- single loads, stores and compare-exchanges on program
 * memory that another thread may unmap under our feet.  Each access
 * instruction is listed in ex_table: a page fault or general-protection
 * fault there resumes at usermem_fault, which returns -EFAULT (trap.c).
 *
 *   int user_load32(const uint32_t *p, uint32_t *out);
 *   int user_store32(uint32_t *p, uint32_t v);
 *   int user_cmpxchg32(uint32_t *p, uint32_t expect, uint32_t v, uint32_t *seen);
 *   All: 0, or -EFAULT.
 */
    .text
    .globl user_load32, user_store32, user_cmpxchg32
user_load32:
1:  movl (%rdi), %eax
    movl %eax, (%rsi)
    xorl %eax, %eax
    ret

user_store32:
2:  movl %esi, (%rdi)
    xorl %eax, %eax
    ret

user_cmpxchg32:
    movl %esi, %eax
3:  lock cmpxchgl %edx, (%rdi)
    movl %eax, (%rcx)
    xorl %eax, %eax
    ret

usermem_fault:
    movl $-14, %eax
    ret

    .section ex_table, "a"
    .p2align 3
    .quad 1b, usermem_fault
    .quad 2b, usermem_fault
    .quad 3b, usermem_fault

    .section .note.GNU-stack, "", @progbits
