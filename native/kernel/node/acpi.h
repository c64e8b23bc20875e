/*
 * acpi.h -- the machine's shape from ACPI: the CPUs (MADT), the NUMA
 * layout (SRAT) and the PM timer (FADT) used to calibrate the TSC.
 */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include <stdint.h>

#include "layout.h"

#define ACPI_MAX_MEM 64

struct acpi_mem {
    uint64_t base, size;
    uint32_t node;
};

struct acpi_info {
    uint32_t ncpus;
    uint32_t apic_id[MAX_CPUS];  /* enabled CPUs, MADT order */
    uint32_t cpu_node[MAX_CPUS]; /* proximity domain per CPU (0 without SRAT) */
    int have_srat;
    uint32_t nmem;
    struct acpi_mem mem[ACPI_MAX_MEM]; /* SRAT memory affinity, enabled entries */
    uint32_t nnodes;
    uint16_t pm_timer_port; /* 0 if none */
    int pm_timer_32bit;
};

extern struct acpi_info acpi;

/* Finds and checks the tables (rsdp: from the loader, 0 to scan the BIOS area). */
void acpi_init(uint64_t rsdp);

#endif
