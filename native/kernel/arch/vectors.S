/*
 * vectors.S -- one stub per vector: push a dummy error code where the CPU
 * pushes none, push the vector, save the registers as a struct trapframe,
 * call trap_dispatch(frame).  Stacks are IST stacks (idt.c).  When
 * trap_dispatch moved the frame to a thread's stack, the way out is from
 * there, after trap_user_work.
 *
 * GS: the kernel's when the GS base is a kernel address (top bit set),
 * else the program's, swapped in and back out (%rbx remembers, across
 * trap_user_work's thread switches too: it is callee-saved).  The test
 * reads the MSR rather than the interrupted %cs because an NMI can land
 * in ring 0 with the program's GS (syscall_entry before its swapgs).
 * AC is cleared: a program may set it, and SMAP must hold in the kernel.
 */
#include "layout.h"

    .text
    .altmacro

.macro STUB n
vector_\n:
    .if (\n == 8 || (\n >= 10 && \n <= 14) || \n == 17 || \n == 21 || \n == 29 || \n == 30)
    .else
    pushq $0
    .endif
    pushq $\n
    jmp trap_common
.endm

.set i, 0
.rept 256
    STUB %i
    .set i, i + 1
.endr

trap_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    testl $1, cpu_smap(%rip)
    jz 2f
    clac
2:  movl $0xC0000101, %ecx          /* MSR_GS_BASE */
    rdmsr
    xorl %ebx, %ebx
    testl %edx, %edx
    js 3f
    swapgs
    movl $1, %ebx
3:  movq %rsp, %rdi
    call trap_dispatch
    cmpq %rax, %rsp
    je 1f
    /* Program code was interrupted and must give way or take a signal:
     * continue on the thread's own kernel stack, leaving the IST stack
     * free for the next interrupt on this core. */
    movq %rax, %rsp
    movq %rax, %rdi
    call trap_user_work
1:  testl %ebx, %ebx
    jz 4f
    swapgs
4:  popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp
    iretq

.macro ADDR n
    .quad vector_\n
.endm

    .section .rodata
    .p2align 3
    .globl vector_table
vector_table:
.set i, 0
.rept 256
    ADDR %i
    .set i, i + 1
.endr

    .section .note.GNU-stack, "", @progbits
