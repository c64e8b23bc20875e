/* fwcfg.c -- QEMU's firmware configuration device, DMA interface only. */
#include "arch/fwcfg.h"

#include "arch/x86.h"
#include "lib/spinlock.h"
#include "percpu.h"

#define FW_CFG_PORT_SEL  0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_PORT_DMA  0x514
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_ID        0x0001
#define FW_CFG_ID_DMA    (1u << 1)
#define FW_CFG_NO_ITEM   0x3FFF /* beyond every table: reads as zeroes */
#define CTL_ERROR        (1u << 0)
#define CTL_READ         (1u << 1)
#define CTL_SELECT       (1u << 3)
#define CHUNK            (1u << 30)

struct dma_access {
    uint32_t control; /* big-endian, as all three fields */
    uint32_t length;
    uint64_t address;
} __attribute__((aligned(16)));

static int have_dma;
static struct spinlock lock; /* the two address writes must not interleave */
static struct dma_access desc;

static uint32_t be32(uint32_t v)
{
    return __builtin_bswap32(v);
}
static uint64_t be64(uint64_t v)
{
    return __builtin_bswap64(v);
}

static void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

void fwcfg_init(void)
{
    __asm__ volatile("outw %0, %1" : : "a"((uint16_t)FW_CFG_SIGNATURE), "Nd"((uint16_t)FW_CFG_PORT_SEL));
    char sig[4];
    for (int i = 0; i < 4; i++)
        sig[i] = (char)inb(FW_CFG_PORT_DATA);
    if (sig[0] != 'Q' || sig[1] != 'E' || sig[2] != 'M' || sig[3] != 'U')
        return;
    __asm__ volatile("outw %0, %1" : : "a"((uint16_t)FW_CFG_ID), "Nd"((uint16_t)FW_CFG_PORT_SEL));
    uint32_t id = 0;
    for (int i = 0; i < 4; i++)
        id |= (uint32_t)inb(FW_CFG_PORT_DATA) << (8 * i);
    have_dma = (id & FW_CFG_ID_DMA) != 0;
}

int phys_zero(uint64_t pa, uint64_t len)
{
    if (!have_dma)
        return -1;
    spin_lock(&lock);
    while (len) {
        uint32_t n = len > CHUNK ? CHUNK : (uint32_t)len;
        desc.control = be32(((uint32_t)FW_CFG_NO_ITEM << 16) | CTL_SELECT | CTL_READ);
        desc.length = be32(n);
        desc.address = be64(pa);
        uint64_t d = V2P(&desc);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        outl(FW_CFG_PORT_DMA, be32((uint32_t)(d >> 32)));
        outl(FW_CFG_PORT_DMA + 4, be32((uint32_t)d)); /* starts the transfer; done on return */
        if (be32(__atomic_load_n(&desc.control, __ATOMIC_ACQUIRE)) & CTL_ERROR) {
            spin_unlock(&lock);
            return -1;
        }
        pa += n;
        len -= n;
    }
    spin_unlock(&lock);
    return 0;
}
