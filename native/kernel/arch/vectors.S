/*
 * vectors.S -- one stub per vector: push a dummy error code where the CPU
 * pushes none, push the vector, save the registers as a struct trapframe,
 * call trap_dispatch(frame).  Stacks are IST stacks (idt.c).  When
 * trap_dispatch moved the frame to a thread's stack, the way out is from
 * there, after trap_user_work.
 */
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
    movq %rsp, %rdi
    call trap_dispatch
    cmpq %rax, %rsp
    je 1f
    /* Program code was interrupted and must give way or take a signal:
     * continue on the thread's own kernel stack, leaving the IST stack
     * free for the next interrupt on this core. */
    movq %rax, %rsp
    movq %rax, %rdi
    call trap_user_work
1:  popq %r15
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
