/* clock.c -- TSC and LAPIC timer calibration, the RTC. */
#include "node/clock.h"

#include "arch/lapic.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "lib/console.h"
#include "node/acpi.h"

#define PM_TIMER_HZ      3579545ull
#define PIT_HZ           1193182ull
#define CALIBRATE_MIN_MS 20

uint64_t tsc_hz;
uint64_t lapic_timer_hz;
uint64_t tsc_at_boot;
uint64_t rtc_boot_epoch_ns;
static uint64_t ns_mult;    /* ns = ticks * ns_mult >> 32 */
static uint64_t tsc_mult;   /* TSC ticks = ns * tsc_mult >> 24 */
static uint64_t lapic_mult; /* LAPIC ticks = ns * lapic_mult >> 24 */

static uint64_t cal_tsc0;
static uint32_t cal_pm0;

static uint32_t pm_read(void)
{
    uint32_t v = inl(acpi.pm_timer_port);
    return acpi.pm_timer_32bit ? v : v & 0xFFFFFF;
}

static uint32_t pm_elapsed(uint32_t from, uint32_t to)
{
    return acpi.pm_timer_32bit ? to - from : (to - from) & 0xFFFFFF;
}

static uint8_t cmos(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static uint32_t bcd(uint8_t v, int binary)
{
    return binary ? v : (v & 0xF) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, uint32_t m, uint32_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    uint64_t yoe = (uint64_t)(y - era * 400);
    uint64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void rtc_read(void)
{
    /* Wait out an update in progress (at most ~2 ms), then read. */
    for (int i = 0; i < 100000 && (cmos(0x0A) & 0x80); i++)
        pause();
    uint8_t b = cmos(0x0B);
    int binary = b & 4;
    uint32_t sec = bcd(cmos(0x00), binary), min = bcd(cmos(0x02), binary);
    uint8_t hr_raw = cmos(0x04);
    uint32_t hour = bcd(hr_raw & 0x7F, binary);
    if (!(b & 2) && (hr_raw & 0x80))
        hour = (hour % 12) + 12; /* 12-hour mode, PM */
    uint32_t day = bcd(cmos(0x07), binary), mon = bcd(cmos(0x08), binary);
    uint32_t year = bcd(cmos(0x09), binary) + 2000;
    int64_t days = days_from_civil(year, mon, day);
    rtc_boot_epoch_ns = (uint64_t)(days * 86400 + hour * 3600 + min * 60 + sec) * 1000000000ull;
}

void clock_calibrate_begin(void)
{
    rtc_read();
    cal_tsc0 = rdtsc();
    if (acpi.pm_timer_port)
        cal_pm0 = pm_read();
    /* Counts down from the top; also wakes a halted boot CPU after ~4 s at
     * QEMU's 1 GHz timer clock, the watchdog of the CPU bring-up wait. */
    lapic_timer_oneshot(VEC_TIMER, 0xFFFFFFFF);
}

/* Without a PM timer: PIT channel 2 gated for 10 ms, polled. */
static uint64_t pit_calibrate(uint64_t *lapic_ticks)
{
    uint32_t count = (uint32_t)(PIT_HZ / 100);
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    outb(0x43, 0xB0); /* channel 2, lo/hi, mode 0 */
    outb(0x42, (uint8_t)count);
    outb(0x42, (uint8_t)(count >> 8));
    uint32_t l0 = lapic_timer_current();
    uint64_t t0 = rdtsc();
    while (!(inb(0x61) & 0x20))
        pause();
    *lapic_ticks = (uint64_t)(l0 - lapic_timer_current()) * 100;
    return (rdtsc() - t0) * 100;
}

void clock_calibrate_end(void)
{
    uint64_t lapic_ticks;
    if (acpi.pm_timer_port) {
        uint32_t min = (uint32_t)(PM_TIMER_HZ * CALIBRATE_MIN_MS / 1000), pm1;
        while (pm_elapsed(cal_pm0, pm1 = pm_read()) < min)
            pause();
        uint64_t tsc1 = rdtsc();
        uint32_t lapic_now = lapic_timer_current();
        uint64_t pm = pm_elapsed(cal_pm0, pm1);
        tsc_hz = (tsc1 - cal_tsc0) * PM_TIMER_HZ / pm;
        lapic_ticks = 0xFFFFFFFFull - lapic_now;
        lapic_timer_hz = lapic_ticks * PM_TIMER_HZ / pm;
    } else {
        lapic_timer_oneshot(VEC_TIMER, 0xFFFFFFFF);
        tsc_hz = pit_calibrate(&lapic_ticks);
        lapic_timer_hz = lapic_ticks;
    }
    lapic_timer_stop();
    if (tsc_hz < 1000000)
        panic("clock: implausible TSC rate %lu Hz", tsc_hz);
    ns_mult = (1000000000ull << 32) / tsc_hz;
    tsc_mult = (tsc_hz << 24) / 1000000000ull;
    lapic_mult = (lapic_timer_hz << 24) / 1000000000ull;
}

uint64_t ns_to_tsc(uint64_t ns)
{
    unsigned __int128 t = ((unsigned __int128)ns * tsc_mult) >> 24;
    return t > ~0ull ? ~0ull : (uint64_t)t;
}

uint64_t ns_to_lapic(uint64_t ns)
{
    unsigned __int128 t = ((unsigned __int128)ns * lapic_mult) >> 24;
    return t > ~0ull ? ~0ull : (uint64_t)t;
}

uint64_t tsc_to_ns(uint64_t ticks)
{
    return (uint64_t)(((unsigned __int128)ticks * ns_mult) >> 32);
}

uint64_t clock_monotonic_ns(void)
{
    return tsc_to_ns(rdtsc() - tsc_at_boot);
}
