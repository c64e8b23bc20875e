/*
 * pvh.S -- the boot CPU's first instructions.
 *
 * QEMU loads this ELF at its physical addresses and enters pvh_entry32
 * (named by the XEN_ELFNOTE_PHYS32_ENTRY note) in 32-bit protected mode,
 * paging off, with %ebx = the physical address of struct hvm_start_info.
 * We build the node's page tables, enter long mode and call
 * kmain(start_info) on the boot CPU's stack in the top 2 GiB.
 *
 * The node page tables (used for ever by parked cores, and as the source of
 * the kernel half of every instance's tables):
 *   PML4[0]   -> pdpt_low:  0..4 GiB identity, 2 MiB pages (3..4 GiB uncached)
 *   PML4[511] -> pdpt_high: [510] 0..1 GiB at KERNEL_VMA, [511] 3..4 GiB at MMIO_VMA
 */
#include "layout.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PWT 0x8
#define PTE_PCD 0x10
#define PTE_PS 0x80

    .section .note.Xen, "a"
    .p2align 2
    .long 4                         /* namesz */
    .long 8                         /* descsz */
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .quad pvh_entry32

    .section .boot.text, "ax"
    .code32
    .globl pvh_entry32
pvh_entry32:
    cli
    cld
    movl %ebx, %esi                 /* start_info: kept in %esi */
    movl $boot_stack_top, %esp

    /* Zero the bss (linked high: subtract KERNEL_VMA) and the boot tables,
     * 4 bytes a step (under TCG each step of a rep is a trip through the
     * translator).  Both are 4-byte multiples (kernel.ld, .skip sizes). */
    movl $(__bss_start - KERNEL_VMA), %edi
    movl $(__bss_end - KERNEL_VMA), %ecx
    subl %edi, %ecx
    shrl $2, %ecx
    xorl %eax, %eax
    rep stosl
    movl $boot_tables_start, %edi
    movl $((boot_tables_end - boot_tables_start) / 4), %ecx
    rep stosl

    /* pd[0..3]: 2048 large pages covering 0..4 GiB; the last GiB is MMIO. */
    movl $boot_pd, %edi
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $(PTE_P | PTE_W | PTE_PS), %eax
    cmpl $1536, %ecx
    jb 2f
    orl $(PTE_PCD | PTE_PWT), %eax
2:  movl %eax, (%edi, %ecx, 8)
    incl %ecx
    cmpl $2048, %ecx
    jb 1b

    /* pdpt_low[i] = pd[i]; pdpt_high[510] = pd[0]; pdpt_high[511] = pd[3]. */
    movl $boot_pdpt_low, %edi
    movl $(boot_pd + (PTE_P | PTE_W)), %eax
    movl %eax, 0(%edi)
    addl $4096, %eax
    movl %eax, 8(%edi)
    addl $4096, %eax
    movl %eax, 16(%edi)
    addl $4096, %eax
    movl %eax, 24(%edi)
    movl %eax, boot_pdpt_high + 511 * 8
    movl $(boot_pd + (PTE_P | PTE_W)), boot_pdpt_high + 510 * 8
    movl $(boot_pdpt_low + (PTE_P | PTE_W)), boot_pml4
    movl $(boot_pdpt_high + (PTE_P | PTE_W)), boot_pml4 + 511 * 8

    /* Long mode: PAE, CR3, EFER.LME, then paging (with CR0.WP). */
    movl %cr4, %eax
    orl $(1 << 5), %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $0xC0000080, %ecx
    rdmsr
    orl $(1 << 8), %eax
    wrmsr
    movl %cr0, %eax
    orl $0x80010001, %eax
    movl %eax, %cr0
    lgdt boot_gdtr
    ljmp $SEL_KCODE, $long_mode

    .code64
long_mode:
    movl $SEL_KDATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    xorl %eax, %eax
    movl %eax, %fs
    movl %eax, %gs
    movabsq $bsp_stack_top, %rsp
    movl %esi, %edi                 /* kmain(start_info physical address) */
    movabsq $kmain, %rax
    call *%rax
3:  cli
    hlt
    jmp 3b

    .section .boot.data, "aw"
    .p2align 3
    /* Enough to reach long mode; kmain loads the real GDT (gdt.c). */
boot_gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF        /* SEL_KCODE: 64-bit code */
    .quad 0x00CF92000000FFFF        /* SEL_KDATA */
boot_gdt_end:
boot_gdtr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .boot.bss, "aw", @nobits
    .p2align 12
    .globl boot_pml4
boot_tables_start:
boot_pml4: .skip 4096
boot_pdpt_low: .skip 4096
    .globl boot_pdpt_high
boot_pdpt_high: .skip 4096
    .globl boot_pd
boot_pd: .skip 4 * 4096
boot_tables_end:
boot_stack: .skip 1024
boot_stack_top:

    .section .bss
    .p2align 4
bsp_stack: .skip KSTACK_SIZE
    .globl bsp_stack_top
bsp_stack_top:

    .section .note.GNU-stack, "", @progbits
