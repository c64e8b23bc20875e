/*
 * syscall_entry.S -- the program's way in and out.
 *
 * `syscall` from ring 3 saves %rip in %rcx and %rflags in %r11, clears IF
 * and AC (SFMASK), loads the ring-0 selectors and jumps here, still on the
 * program's stack and with the program's GS.  We swap GS, move to the
 * current thread's kernel stack without writing to the program's stack,
 * build a struct syscall_frame, and call syscall_dispatch.  The way back
 * is sysret, or iretq when every register must come back (rt_sigreturn)
 * or %rip is not a canonical user address: sysret would fault in ring 0,
 * on the program's stack.  Either way %rflags is filtered first (no IOPL,
 * NT, VM; IF on), so no frame can hand a program the I/O ports or cli.
 * %rcx and %r11 are clobbered, as the Linux ABI allows.
 */
#include "layout.h"
#include "percpu.h"

/* struct syscall_frame (inst.h), byte offsets. */
#define F_RAX 96
#define F_RIP 104
#define F_RFLAGS 112
#define F_RSP 120
#define F_RCX 128
#define F_R11 136
#define F_FULL 144

/* The flags a program may keep: CF PF AF ZF SF TF DF OF AC ID. */
#define FLAGS_USER 0x240DD5

    .text
    .globl syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:CPU_SAVED_RSP
    movq %gs:CPU_KSTACK_TOP, %rsp   /* the current thread's kernel stack */
    pushq %rax                      /* nr */
    pushq $0                        /* full */
    pushq %r11                      /* r11 */
    pushq %rcx                      /* rcx */
    pushq %gs:CPU_SAVED_RSP         /* rsp */
    pushq %r11                      /* rflags */
    pushq %rcx                      /* rip */
    pushq %rax                      /* rax */
    pushq %r9
    pushq %r8
    pushq %r10
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    movq %rsp, %rdi
    call syscall_dispatch           /* the result goes into the frame's rax */

    /* syscall_exit: %rsp is a struct syscall_frame.  Also where a new
     * thread leaves for the program the first time (switch.S). */
    .globl syscall_exit
syscall_exit:
    cli                             /* nothing may come between swapgs and the way out */
    movq F_RFLAGS(%rsp), %rax
    andq $FLAGS_USER, %rax
    orq $0x202, %rax                /* IF, and bit 1 (always set) */
    movq %rax, F_RFLAGS(%rsp)
    cmpq $0, F_FULL(%rsp)
    jne full_exit
    movq F_RIP(%rsp), %rax
    shrq $47, %rax
    jnz full_exit                   /* not a user address: sysret would fault in ring 0 */
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    popq %rdi
    popq %rsi
    popq %rdx
    popq %r10
    popq %r8
    popq %r9
    popq %rax                       /* the result */
    popq %rcx                       /* rip */
    popq %r11                       /* rflags */
    movq (%rsp), %rsp               /* the program's stack */
    swapgs
    sysretq

    /* Every register as the frame says: an iretq frame to ring 3 below the
     * syscall frame.  A %rip that is not a user address faults in ring 3
     * (a kernel page: no U bit) or, non-canonical, on the iretq itself:
     * syscall_return_work ends the program before that (SIGSEGV). */
full_exit:
    subq $40, %rsp
    movq 40+F_RIP(%rsp), %rax
    movq %rax, 0(%rsp)
    movq $(SEL_UCODE | 3), 8(%rsp)
    movq 40+F_RFLAGS(%rsp), %rax
    movq %rax, 16(%rsp)
    movq 40+F_RSP(%rsp), %rax
    movq %rax, 24(%rsp)
    movq $(SEL_UDATA | 3), 32(%rsp)
    movq 40+0(%rsp), %r15
    movq 40+8(%rsp), %r14
    movq 40+16(%rsp), %r13
    movq 40+24(%rsp), %r12
    movq 40+32(%rsp), %rbp
    movq 40+40(%rsp), %rbx
    movq 40+48(%rsp), %rdi
    movq 40+56(%rsp), %rsi
    movq 40+64(%rsp), %rdx
    movq 40+72(%rsp), %r10
    movq 40+80(%rsp), %r8
    movq 40+88(%rsp), %r9
    movq 40+F_RCX(%rsp), %rcx
    movq 40+F_R11(%rsp), %r11
    movq 40+F_RAX(%rsp), %rax
    swapgs
    iretq

    /* enter_program(entry, sp): the first instruction of a program, in
     * ring 3, with the register state the ELF ABI promises (%rdx = 0: no
     * exit hook). */
    .globl enter_program
enter_program:
    cli
    fninit
    pushq $0x1F80
    ldmxcsr (%rsp)
    addq $8, %rsp
    pxor %xmm0, %xmm0
    pxor %xmm1, %xmm1
    pxor %xmm2, %xmm2
    pxor %xmm3, %xmm3
    pxor %xmm4, %xmm4
    pxor %xmm5, %xmm5
    pxor %xmm6, %xmm6
    pxor %xmm7, %xmm7
    pxor %xmm8, %xmm8
    pxor %xmm9, %xmm9
    pxor %xmm10, %xmm10
    pxor %xmm11, %xmm11
    pxor %xmm12, %xmm12
    pxor %xmm13, %xmm13
    pxor %xmm14, %xmm14
    pxor %xmm15, %xmm15
    pushq $(SEL_UDATA | 3)
    pushq %rsi
    pushq $0x202                    /* IF: the monitor's WAKE can reach us */
    pushq $(SEL_UCODE | 3)
    pushq %rdi
    xorl %eax, %eax
    xorl %ebx, %ebx
    xorl %ecx, %ecx
    xorl %edx, %edx
    xorl %esi, %esi
    xorl %edi, %edi
    xorl %ebp, %ebp
    xorl %r8d, %r8d
    xorl %r9d, %r9d
    xorl %r10d, %r10d
    xorl %r11d, %r11d
    xorl %r12d, %r12d
    xorl %r13d, %r13d
    xorl %r14d, %r14d
    xorl %r15d, %r15d
    swapgs
    iretq

    .section .note.GNU-stack, "", @progbits
