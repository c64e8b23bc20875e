/*
 * clock.h -- time from the TSC.  The rate is calibrated against the ACPI
 * PM timer (3.579545 MHz) over the boot itself, so calibration costs no
 * extra wait unless the boot took under CALIBRATE_MIN_MS.  The local APIC
 * timer is calibrated over the same window.  Wall-clock time starts from
 * the CMOS RTC, and an instance may be given a better one by its host.
 */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include <stdint.h>

extern uint64_t tsc_hz;
extern uint64_t lapic_timer_hz;
extern uint64_t tsc_at_boot;       /* TSC at the kernel's first instruction */
extern uint64_t rtc_boot_epoch_ns; /* wall clock at tsc_at_boot, from the RTC */

void clock_calibrate_begin(void); /* boot CPU, early */
void clock_calibrate_end(void);   /* boot CPU, once the other CPUs are up */
/* Nanoseconds between two TSC readings. */
uint64_t tsc_to_ns(uint64_t ticks);
/* TSC ticks and local APIC timer ticks in `ns` nanoseconds. */
uint64_t ns_to_tsc(uint64_t ns);
uint64_t ns_to_lapic(uint64_t ns);
/* Nanoseconds since tsc_at_boot. */
uint64_t clock_monotonic_ns(void);

#endif
