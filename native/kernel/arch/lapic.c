/*
 * lapic.c -- local APIC access.  x2APIC registers are MSRs 0x800 + reg/16;
 * xAPIC registers are MMIO at the APIC base, which the node's page tables
 * map uncached at MMIO_VMA + physical (layout.h).
 */
#include "arch/lapic.h"

#include "arch/x86.h"

#define REG_ID         0x020
#define REG_TPR        0x080
#define REG_EOI        0x0B0
#define REG_SVR        0x0F0
#define REG_ESR        0x280
#define REG_ICR_LO     0x300
#define REG_ICR_HI     0x310
#define REG_LVT_TIMER  0x320
#define REG_LVT_LINT0  0x350
#define REG_LVT_LINT1  0x360
#define REG_LVT_ERROR  0x370
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CUR  0x390
#define REG_TIMER_DIV  0x3E0

#define APIC_BASE_ENABLE (1u << 11)
#define APIC_BASE_X2     (1u << 10)
#define LVT_MASKED       (1u << 16)
#define LVT_PERIODIC     (1u << 17)
#define ICR_PENDING      (1u << 12)
#define ICR_NMI          0x400
#define ICR_INIT         0x500
#define ICR_STARTUP      0x600
#define ICR_ASSERT       (1u << 14)
#define ICR_ALL_BUT_SELF (3u << 18)

int lapic_x2apic;
static volatile uint32_t *mmio;

void lapic_choose_mode(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    lapic_x2apic = (r[2] >> 21) & 1;
    uint64_t phys = rdmsr(MSR_APIC_BASE) & 0xFFFFFF000ull;
    mmio = (volatile uint32_t *)(MMIO_VMA + phys);
}

static uint32_t rd(uint32_t reg)
{
    if (lapic_x2apic)
        return (uint32_t)rdmsr(0x800 + reg / 16);
    return mmio[reg / 4];
}

static void wr(uint32_t reg, uint32_t v)
{
    if (lapic_x2apic)
        wrmsr(0x800 + reg / 16, v);
    else
        mmio[reg / 4] = v;
}

void lapic_init(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;
    if (lapic_x2apic)
        base |= APIC_BASE_X2;
    wrmsr(MSR_APIC_BASE, base);
    wr(REG_SVR, 0x100 | 0xFF); /* software enable, spurious vector 0xFF */
    wr(REG_LVT_LINT0, LVT_MASKED);
    wr(REG_LVT_LINT1, LVT_MASKED);
    wr(REG_LVT_ERROR, LVT_MASKED);
    wr(REG_LVT_TIMER, LVT_MASKED);
    wr(REG_TPR, 0);
    wr(REG_ESR, 0);
}

uint32_t lapic_id(void)
{
    return lapic_x2apic ? rd(REG_ID) : rd(REG_ID) >> 24;
}

void lapic_eoi(void)
{
    wr(REG_EOI, 0);
}

static void send_icr(uint32_t dest, uint32_t lo)
{
    if (lapic_x2apic) {
        wrmsr(0x830, ((uint64_t)dest << 32) | lo);
        return;
    }
    wr(REG_ICR_HI, dest << 24);
    wr(REG_ICR_LO, lo);
    while (rd(REG_ICR_LO) & ICR_PENDING)
        pause();
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    send_icr(apic_id, ICR_ASSERT | vector);
}

void lapic_send_nmi(uint32_t apic_id)
{
    send_icr(apic_id, ICR_ASSERT | ICR_NMI);
}

void lapic_broadcast_init_sipi(uint8_t sipi_page)
{
    /* QEMU and KVM need none of the 10 ms / 200 us waits real hardware
     * asks for; the second SIPI is ignored by a CPU that already started. */
    send_icr(0, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_INIT);
    send_icr(0, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_STARTUP | sipi_page);
    send_icr(0, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_STARTUP | sipi_page);
}

void lapic_send_init_sipi(uint32_t apic_id, uint8_t sipi_page)
{
    send_icr(apic_id, ICR_ASSERT | ICR_INIT);
    send_icr(apic_id, ICR_ASSERT | ICR_STARTUP | sipi_page);
    send_icr(apic_id, ICR_ASSERT | ICR_STARTUP | sipi_page);
}

void lapic_timer_oneshot(uint8_t vector, uint32_t count)
{
    wr(REG_TIMER_DIV, 0xB); /* divide by 1 */
    wr(REG_LVT_TIMER, vector);
    wr(REG_TIMER_INIT, count);
}

void lapic_timer_periodic(uint8_t vector, uint32_t count)
{
    wr(REG_TIMER_DIV, 0xB);
    wr(REG_LVT_TIMER, LVT_PERIODIC | vector);
    wr(REG_TIMER_INIT, count);
}

uint32_t lapic_timer_current(void)
{
    return rd(REG_TIMER_CUR);
}

void lapic_timer_stop(void)
{
    wr(REG_LVT_TIMER, LVT_MASKED);
    wr(REG_TIMER_INIT, 0);
}
