/*
 * main.c -- the node kernel's boot, as a list of steps.  pvh.S enters
 * kmain on the boot CPU in long mode, on the node page tables.
 */
#include <stdint.h>

#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/fwcfg.h"
#include "arch/lapic.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "boot/bootinfo.h"
#include "inst/loaded.h"
#include "inst/vm.h"
#include "lib/kheap.h"
#include "lib/console.h"
#include "node/acpi.h"
#include "node/clock.h"
#include "node/monitor.h"
#include "node/node.h"
#include "node/smp.h"
#include "percpu.h"

extern char bsp_stack_top[];
static struct cpu boot_cpu;

static void mask_legacy_pic(void)
{
    outb(0x21, 0xFF);
    outb(0xA1, 0xFF);
}

__attribute__((noreturn)) void kmain(uint64_t start_info)
{
    tsc_at_boot = rdtsc();
    boot_cpu.self = &boot_cpu;
    boot_cpu.kstack_top = boot_cpu.park_stack_top = (uint64_t)bsp_stack_top;
    wrmsr(MSR_GS_BASE, (uint64_t)&boot_cpu);

    console_init();
    kprintf("azalea node kernel\n");
    bootinfo_parse_pvh(start_info);
    node_info_init(bootinfo.nonce);
    mask_legacy_pic();
    cpu_detect();
    fwcfg_init();
    lapic_choose_mode();
    acpi_init(bootinfo.rsdp);
    smp_setup_cpus(&boot_cpu);
    vm_boot_init();
    loaded_init();
    idt_init();
    cpu_init(&boot_cpu);
    fpu_init_size();
    clock_calibrate_begin();
    kheap_seal(); /* the APs run from here on: no more boot-time allocation */
    smp_start_aps();
    clock_calibrate_end();
    node_publish();
    kprintf("node ready: %u CPUs (%s), %u NUMA nodes, %u memory ranges, TSC %lu kHz, "
            "boot %lu us (cpus parked at %lu us)\n",
            ncpus, lapic_x2apic ? "x2APIC" : "xAPIC", acpi.nnodes, node_info->nranges, tsc_hz / 1000,
            tsc_to_ns(node_info->tsc_ready - tsc_at_boot) / 1000,
            tsc_to_ns(node_info->tsc_cpus_parked - tsc_at_boot) / 1000);
    node_log_layout();
    monitor_loop();
}
