/*
 * syscall_entry.S -- the program's way in and out.
 *
 * Programs run in ring 0, so `syscall` changes no privilege level and no
 * stack: it saves %rip in %rcx and %rflags in %r11, clears IF (SFMASK) and
 * jumps here on the program's stack.  We move to this CPU's kernel stack
 * (%gs is ours, see percpu.h) without writing to the program's stack (its
 * red zone), build a struct syscall_frame, and call syscall_dispatch.  The
 * way back restores %rflags on the kernel stack, then the program's %rsp,
 * and jumps to %rcx: sysret would drop to ring 3.  %rcx and %r11 are
 * clobbered, as the Linux ABI allows.
 */
#include "percpu.h"

    .text
    .globl syscall_entry
syscall_entry:
    movq %rsp, %gs:CPU_SAVED_RSP
    movq %gs:CPU_KSTACK_TOP, %rsp
    pushq %gs:CPU_SAVED_RSP         /* rsp */
    pushq %r11                      /* rflags */
    pushq %rcx                      /* rip */
    pushq %rax                      /* nr */
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
    call syscall_dispatch
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
    addq $8, %rsp                   /* nr: %rax holds the result */
    popq %rcx                       /* rip */
    popq %r11                       /* rflags */
    pushq %r11
    popfq                           /* may enable interrupts: they use IST stacks */
    popq %rsp                       /* the program's stack */
    jmp *%rcx

    /* enter_program(entry, sp): the first instruction of a program, with
     * the register state the ELF ABI promises (%rdx = 0: no exit hook). */
    .globl enter_program
enter_program:
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
    movq %rdi, %rcx
    pushq $0x202                    /* IF: the monitor's WAKE can reach us */
    popfq
    movq %rsi, %rsp
    xorl %eax, %eax
    xorl %ebx, %ebx
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
    jmp *%rcx

    .section .note.GNU-stack, "", @progbits
