/*
 * switch.S -- changing threads on a core, and a new thread's first steps.
 *
 *   void switch_stacks(uint64_t *save_ksp, uint64_t next_ksp);
 * saves the callee-saved registers on the current kernel stack, stores
 * %rsp in *save_ksp, and resumes the context whose stack is next_ksp.
 * Everything else a thread has (FS base, FPU registers, its kernel stack
 * top for system calls) is switched by sched.c around this call.
 *
 * A new thread's stack is built (thread.c) as if it had called
 * switch_stacks: six registers, then one of the return addresses below.
 */
    .text
    .globl switch_stacks
switch_stacks:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

    /* The program's first thread: %r12 = entry, %r13 = initial %rsp. */
    .globl thread_start_main
thread_start_main:
    call sched_tail
    movq %r12, %rdi
    movq %r13, %rsi
    jmp enter_program

    /* A clone child: %rsp is the copy of its parent's syscall frame, with
     * rax = 0 and the new stack; it leaves as if returning from clone. */
    .globl thread_start_clone
thread_start_clone:
    call sched_tail
    movq %rsp, %rdi
    call syscall_return_work
    jmp syscall_exit

    .section .note.GNU-stack, "", @progbits
