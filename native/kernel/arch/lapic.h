/* lapic.h -- the local APIC, in x2APIC mode when the CPU has it, else xAPIC. */
#ifndef KERNEL_LAPIC_H
#define KERNEL_LAPIC_H

#include <stdint.h>

extern int lapic_x2apic; /* chosen once by the boot CPU */

void lapic_choose_mode(void); /* boot CPU, before lapic_init */
void lapic_init(void);        /* every CPU: enable, mask LINTs, spurious vector */
uint32_t lapic_id(void);
void lapic_eoi(void);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_nmi(uint32_t apic_id);
void lapic_broadcast_init_sipi(uint8_t sipi_page); /* all CPUs but this one */
/* One CPU back to the trampoline (monitor.c: AZ_CORE_CMD_RESET). */
void lapic_send_init_sipi(uint32_t apic_id, uint8_t sipi_page);
/* The timer: divide by 1, one-shot or periodic, counts in timer ticks. */
void lapic_timer_oneshot(uint8_t vector, uint32_t count);
void lapic_timer_periodic(uint8_t vector, uint32_t count);
uint32_t lapic_timer_current(void);
void lapic_timer_stop(void);

#endif
