/*
 * trampoline.S -- where application processors start.  smp.c copies
 * trampoline_start..trampoline_end to TRAMPOLINE_PHYS and fills in
 * tr_cr3 (the node page tables) before sending INIT-SIPI-SIPI to all.
 * Every AP runs it at once: no stack is touched until ap_entry64 has
 * found the CPU's own (real mode -> protected mode -> long mode).
 */
#include "layout.h"
#include "percpu.h"

#define TR(label) (TRAMPOLINE_PHYS + ((label) - trampoline_start))

    .section .rodata
    .globl trampoline_start, trampoline_end, tr_cr3
    .code16
trampoline_start:
    cli
    cld
    ljmp $0, $TR(1f)
1:  xorw %ax, %ax
    movw %ax, %ds
    lgdtl TR(tr_gdtr)
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $SEL_CODE32, $TR(2f)

    .code32
2:  movl $SEL_KDATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    movl %cr4, %eax
    orl $(1 << 5), %eax
    movl %eax, %cr4
    movl TR(tr_cr3), %eax
    movl %eax, %cr3
    movl $0xC0000080, %ecx
    rdmsr
    orl $(1 << 8), %eax
    wrmsr
    movl %cr0, %eax
    orl $0x80010001, %eax
    movl %eax, %cr0
    ljmpl $SEL_KCODE, $TR(3f)

    .code64
3:  movabsq $ap_entry64, %rax
    jmp *%rax

    .p2align 3
tr_gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF        /* SEL_KCODE */
    .quad 0x00CF92000000FFFF        /* SEL_KDATA */
    .quad 0x00CF9A000000FFFF        /* SEL_CODE32 */
tr_gdtr:
    .word 4 * 8 - 1
    .long TR(tr_gdt)
    .p2align 2
tr_cr3:
    .long 0
trampoline_end:

    /*
     * ap_entry64: in the top 2 GiB, on the node page tables.  Find this
     * CPU's struct cpu from its APIC id (CPUID leaf 0xB in x2APIC mode,
     * else leaf 1), switch to its stack and call ap_main(cpu).  An AP
     * we did not expect (not in apic_to_cpu) stops here.
     */
    .text
    .globl ap_entry64
ap_entry64:
    movl $SEL_KDATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    movabsq $lapic_x2apic, %rax
    cmpl $0, (%rax)
    je 1f
    movl $0xB, %eax
    xorl %ecx, %ecx
    cpuid
    movl %edx, %eax
    jmp 2f
1:  movl $1, %eax
    cpuid
    movl %ebx, %eax
    shrl $24, %eax
2:  cmpl $APIC_TABLE_SIZE, %eax
    jae 4f
    movabsq $apic_to_cpu, %rbx
    movq (%rbx, %rax, 8), %rdi
    testq %rdi, %rdi
    jz 4f
    movq CPU_PARK_STACK_TOP(%rdi), %rsp /* also after a RESET, when kstack_top was a thread's */
    xorl %ebp, %ebp
    call ap_main
4:  cli
    hlt
    jmp 4b

    .section .note.GNU-stack, "", @progbits
