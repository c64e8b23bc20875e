/*
 * aznode -- a development harness for the node kernel, playing the part
 * the Java node driver will play: it creates the node's memory files,
 * starts QEMU, waits for the node to be READY (through the shared memory,
 * as the host will), loads a program into a partition, writes its boot
 * descriptor, starts it through the mailboxes and reports how it ended.
 * Not the product: no confinement, few checks, one file per quadrant.
 *
 *   aznode [options] [--] [PROGRAM [ARGS...]]
 *     --smp N           CPUs (72)              --numa K      NUMA nodes (4)
 *     --node-mem MiB    memory per node (512)  --bios FILE   (qboot.rom; "" for SeaBIOS)
 *     --quadrant Q      NUMA node(s) to run on, e.g. 1 or 1,2,3 (1)
 *     --cores N         cores per instance (1) --mem MiB     partition size (64)
 *     --proxy           serve the offload region with build/native/c-proxy
 *                       (else fds 1 and 2 go to the serial log)
 *     --root DIR        the proxy's directory (.)
 *     --repeat N        run the program N times in a row (1)
 *     --sequence        every argument is a program (run with no arguments),
 *                       run one after another in the same partition
 *     --stop-after MS   send STOP after MS milliseconds
 *     --log FILE        the node's serial log (stderr)
 *     --timeout S       per run (30)
 *   Exit status: the program's (one instance), else 0 if all exited 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "azalea/abi.h"

#define MAX_NODES 8
#define MAX_RUNS 8
#define REGION_CHANNELS_MAX 64

static struct {
    int smp, numa, node_mem, cores, mem, proxy, repeat, timeout, stop_after, sequence;
    const char *bios, *root, *log;
    int quadrants[MAX_RUNS], nquadrants;
} opt = { 72, 4, 512, 1, 64, 0, 1, 30, 0, 0, "/usr/share/qemu/qboot.rom", ".", NULL, { 1 }, 1 };

static char shm_path[MAX_NODES][128];
static char *node_map[MAX_NODES];
static pid_t qemu_pid, proxy_pid[MAX_RUNS];
static int proxy_out[MAX_RUNS] = { -1, -1, -1, -1, -1, -1, -1, -1 }; /* c-proxy's stdout: the program's */
static const char *self_dir;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void cleanup(void)
{
    if (qemu_pid > 0) {
        kill(qemu_pid, SIGTERM);
        waitpid(qemu_pid, NULL, 0);
        qemu_pid = 0;
    }
    for (int i = 0; i < MAX_RUNS; i++)
        if (proxy_pid[i] > 0) {
            kill(proxy_pid[i], SIGTERM);
            waitpid(proxy_pid[i], NULL, 0);
            proxy_pid[i] = 0;
        }
    for (int i = 0; i < MAX_NODES; i++)
        if (shm_path[i][0])
            unlink(shm_path[i]);
}

static void on_signal(int sig)
{
    cleanup();
    _exit(128 + sig);
}

static __attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "aznode: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    cleanup();
    exit(2);
}

static uint64_t node_base(int n)
{
    return (uint64_t)n * opt.node_mem << 20;
}

/* A pointer into guest memory at gpa (which must lie in one node file). */
static void *gpa_ptr(uint64_t gpa)
{
    int n = (int)(gpa / ((uint64_t)opt.node_mem << 20));
    if (n >= opt.numa || !node_map[n])
        die("GPA %#lx is not mapped", (unsigned long)gpa);
    return node_map[n] + (gpa - node_base(n));
}

static void map_nodes(void)
{
    for (int n = 0; n < opt.numa; n++) {
        int fd = open(shm_path[n], O_RDWR);
        if (fd < 0)
            die("%s: %s", shm_path[n], strerror(errno));
        node_map[n] = mmap(NULL, (size_t)opt.node_mem << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        if (node_map[n] == MAP_FAILED)
            die("mmap %s: %s", shm_path[n], strerror(errno));
    }
}

static void create_node_file(int n)
{
    int fd = open(shm_path[n], O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)opt.node_mem << 20) != 0)
        die("%s: %s", shm_path[n], strerror(errno));
    close(fd);
}

static void start_qemu(const char *kernel, uint64_t nonce)
{
    static char buf[64][1200];
    char *argv[96];
    int a = 0, b = 0;
#define ARG(...) (snprintf(buf[b], sizeof buf[b], __VA_ARGS__), argv[a++] = buf[b++])
    argv[a++] = "qemu-system-x86_64";
    argv[a++] = "-M";
    argv[a++] = "pc";
    argv[a++] = "-accel";
    argv[a++] = "tcg,thread=multi,tb-size=64";
    argv[a++] = "-cpu";
    argv[a++] = "max";
    argv[a++] = "-smp";
    ARG("%d", opt.smp);
    argv[a++] = "-m";
    ARG("%dM", opt.node_mem * opt.numa);
    argv[a++] = "-nodefaults";
    argv[a++] = "-no-user-config";
    argv[a++] = "-display";
    argv[a++] = "none";
    argv[a++] = "-monitor";
    argv[a++] = "none";
    argv[a++] = "-no-reboot";
    argv[a++] = "-serial";
    argv[a++] = "stdio";
    argv[a++] = "-kernel";
    argv[a++] = (char *)kernel;
    argv[a++] = "-append";
    ARG("azalea.nonce=%lu", (unsigned long)nonce);
    if (opt.bios[0]) {
        argv[a++] = "-bios";
        argv[a++] = (char *)opt.bios;
    }
    int per = opt.smp / opt.numa;
    for (int n = 0; n < opt.numa; n++) {
        argv[a++] = "-object";
        ARG("memory-backend-file,id=m%d,size=%dM,share=on,mem-path=%s", n, opt.node_mem, shm_path[n]);
        argv[a++] = "-numa";
        ARG("node,nodeid=%d,cpus=%d-%d,memdev=m%d", n, n * per, n * per + per - 1, n);
    }
    argv[a] = NULL;
    qemu_pid = fork();
    if (qemu_pid < 0)
        die("fork: %s", strerror(errno));
    if (qemu_pid == 0) {
        if (opt.log) {
            int fd = open(opt.log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd >= 0)
                dup2(fd, 1);
        } else {
            dup2(2, 1);
        }
        int null = open("/dev/null", O_RDONLY);
        dup2(null, 0);
        execvp(argv[0], argv);
        _exit(127);
    }
}

static struct az_node_info *info(void)
{
    return (struct az_node_info *)gpa_ptr(AZ_NODE_INFO_GPA);
}

static struct az_core_mailbox *mailbox(uint32_t cpu)
{
    return (struct az_core_mailbox *)gpa_ptr(info()->mailbox_gpa + (uint64_t)cpu * info()->mailbox_stride);
}

static void wait_ready(double t0, uint64_t nonce)
{
    struct az_node_info *ni = info();
    for (;;) {
        uint32_t st = __atomic_load_n(&ni->state, __ATOMIC_ACQUIRE);
        if (ni->magic == AZ_NODE_MAGIC && ni->boot_nonce == nonce && st == AZ_NODE_READY)
            break;
        if (st == AZ_NODE_PANIC && ni->boot_nonce == nonce)
            die("node panic: %s", ni->panic_message);
        if (waitpid(qemu_pid, NULL, WNOHANG) == qemu_pid) {
            qemu_pid = 0;
            die("QEMU exited during boot");
        }
        if (now_ms() - t0 > opt.timeout * 1000.0)
            die("node not ready after %d s", opt.timeout);
        usleep(200);
    }
    double ready = now_ms() - t0;
    printf("aznode: node ready %.1f ms after QEMU start: %u CPUs, %u NUMA nodes, %u ranges, TSC %.3f MHz, "
           "kernel boot %.1f ms\n",
           ready, ni->ncpus, ni->nnuma, ni->nranges, ni->tsc_hz / 1e6,
           (ni->tsc_ready - ni->tsc_boot) * 1e3 / (double)ni->tsc_hz);
    fflush(stdout);
}

struct run {
    int quadrant;
    uint64_t mem_gpa, boot_gpa;
    uint32_t cpus[AZ_BOOT_MAX_CPUS];
    uint32_t ncpus;
    double t_start;
};

/* The cores, once the node is up; the partition (the start of the node's
 * memory) was fixed before, so that c-proxy could format it before QEMU
 * mapped the file. */
static void pick(struct run *r)
{
    struct az_node_info *ni = info();
    int found = 0;
    for (uint32_t i = 0; i < ni->nranges; i++)
        if (ni->ranges[i].base <= r->mem_gpa
            && r->mem_gpa + ((uint64_t)opt.mem << 20) <= ni->ranges[i].base + ni->ranges[i].size)
            found = 1;
    if (!found)
        die("partition %#lx (+%d MiB) is not in a published memory range", (unsigned long)r->mem_gpa, opt.mem);
    r->ncpus = 0;
    for (uint32_t i = 0; i < ni->ncpus && r->ncpus < (uint32_t)opt.cores; i++) {
        struct az_core_mailbox *mb = mailbox(i);
        if ((int)ni->cpus[i].numa_node != r->quadrant || (ni->cpus[i].flags & AZ_CPU_MONITOR)
            || __atomic_load_n(&mb->state, __ATOMIC_ACQUIRE) != AZ_CORE_PARKED || mb->ack_seq != mb->cmd_seq)
            continue;
        r->cpus[r->ncpus++] = i;
    }
    if (r->ncpus < (uint32_t)opt.cores)
        die("only %u parked cores in NUMA node %d", r->ncpus, r->quadrant);
}

static uint64_t region_bytes(int channels)
{
    /* ring_host_region_size() for 64 entries, as c-proxy formats it. */
    uint64_t per = sizeof(struct az_channel) + 64 * (sizeof(struct az_sqe) + sizeof(struct az_cqe));
    return (sizeof(struct az_region) + channels * per + 4095) & ~4095ull;
}

static void start_proxy(struct run *r, int idx)
{
    char size[32], gpa[32], off[32], ch[16];
    int n = r->quadrant;
    snprintf(size, sizeof size, "%lu", (unsigned long)opt.node_mem << 20);
    snprintf(gpa, sizeof gpa, "%lx", (unsigned long)node_base(n));
    snprintf(off, sizeof off, "%lx", (unsigned long)(r->mem_gpa - node_base(n)));
    snprintf(ch, sizeof ch, "%d", opt.cores);
    char proxy[512];
    snprintf(proxy, sizeof proxy, "%s/../native/c-proxy", self_dir);
    int pipefd[2];
    if (pipe(pipefd))
        die("pipe");
    proxy_pid[idx] = fork();
    if (proxy_pid[idx] == 0) {
        close(pipefd[0]);
        /* "ready" goes to the pipe; the program's stdout is ours. */
        /* --spin: the guest has no way to wake a sleeping proxy yet. */
        char *argv[] = { proxy, "--shm", shm_path[n], "--size", size, "--gpa-base", gpa, "--region-offset", off,
                         "--channels", ch, "--root", (char *)opt.root, "--spin", NULL };
        int out = dup(1);
        dup2(pipefd[1], 1);
        execv(proxy, argv);
        dup2(out, 1);
        perror(proxy);
        _exit(127);
    }
    close(pipefd[1]);
    char line[6] = { 0 };
    ssize_t got = read(pipefd[0], line, sizeof line);
    if (got != 6 || strncmp(line, "ready\n", 6) != 0)
        die("c-proxy did not start (build it: make build/native/c-proxy)");
    fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
    proxy_out[idx] = pipefd[0];
}

/* Copies what the programs wrote to their stdout (through c-proxy) to ours. */
static void forward_output(void)
{
    char buf[4096];
    for (int i = 0; i < MAX_RUNS; i++)
        for (ssize_t n; proxy_out[i] >= 0 && (n = read(proxy_out[i], buf, sizeof buf)) > 0;)
            if (write(1, buf, (size_t)n) < 0)
                break;
}

/* Program, strings and descriptor into the partition, after the region. */
static void load(struct run *r, const char *path, int argc, char **argv, uint64_t id)
{
    uint64_t at = r->mem_gpa + (opt.proxy ? region_bytes(opt.cores) : 0);
    r->boot_gpa = at;
    struct az_boot *b = gpa_ptr(at);
    memset(b, 0, sizeof *b);
    at = (at + sizeof *b + 4095) & ~4095ull;

    uint64_t strings = at;
    char *s = gpa_ptr(at);
    size_t used = 0;
    for (int i = 0; i < argc; i++) {
        strcpy(s + used, argv[i]);
        used += strlen(argv[i]) + 1;
    }
    const char *env[] = { "HOME=/", "PATH=/bin", "AZALEA=1" };
    for (int i = 0; i < 3; i++) {
        strcpy(s + used, env[i]);
        used += strlen(env[i]) + 1;
    }
    at = (at + used + 4095) & ~4095ull;

    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
        die("%s: %s", path, strerror(errno));
    if ((uint64_t)st.st_size > ((uint64_t)opt.mem << 20) / 2)
        die("%s is too large for a %d MiB partition", path, opt.mem);
    char *dst = gpa_ptr(at);
    for (off_t done = 0; done < st.st_size;) {
        ssize_t n = read(fd, dst + done, (size_t)(st.st_size - done));
        if (n <= 0)
            die("read %s", path);
        done += n;
    }
    close(fd);

    b->abi_version = AZ_ABI_VERSION;
    b->flags = opt.proxy ? 0 : AZ_BOOT_SERIAL_STDIO;
    b->instance_id = id;
    b->mem_gpa = r->mem_gpa;
    b->mem_size = (uint64_t)opt.mem << 20;
    b->region_gpa = opt.proxy ? r->mem_gpa : 0;
    b->region_size = opt.proxy ? region_bytes(opt.cores) : 0;
    b->elf_gpa = at;
    b->elf_size = (uint64_t)st.st_size;
    b->strings_gpa = strings;
    b->strings_size = used;
    b->argc = (uint32_t)argc;
    b->envc = 3;
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    b->realtime_ns = (uint64_t)rt.tv_sec * 1000000000ull + (uint64_t)rt.tv_nsec;
    b->ncpus = r->ncpus;
    memcpy(b->cpus, r->cpus, r->ncpus * sizeof r->cpus[0]);
    __atomic_store_n(&b->magic, AZ_BOOT_MAGIC, __ATOMIC_RELEASE);
}

static void post(uint32_t cpu, uint32_t cmd, uint64_t arg)
{
    struct az_core_mailbox *mb = mailbox(cpu);
    mb->arg = arg;
    mb->cmd = cmd;
    __atomic_store_n(&mb->cmd_seq, mb->cmd_seq + 1, __ATOMIC_RELEASE);
}

static const char *state_name(uint32_t s)
{
    static const char *names[] = { "NEW", "LOADING", "RUNNING", "EXITED", "FAULTED", "FAILED", "KILLED" };
    return s < 7 ? names[s] : "?";
}

/* Waits for every run to end; returns the exit status to report. */
static int wait_runs(struct run *runs, int n)
{
    int status = 0, stopped = 0;
    double t0 = now_ms(), running_at[MAX_RUNS] = { 0 };
    for (int done = 0; done < n;) {
        done = 0;
        for (int i = 0; i < n; i++) {
            struct az_boot *b = gpa_ptr(runs[i].boot_gpa);
            uint32_t st = __atomic_load_n(&b->state, __ATOMIC_ACQUIRE);
            for (uint32_t c = 0; c < runs[i].ncpus; c++) {
                struct az_core_mailbox *mb = mailbox(runs[i].cpus[c]);
                if (__atomic_load_n(&mb->ack_seq, __ATOMIC_ACQUIRE) == mb->cmd_seq && mb->result < 0)
                    die("cpu %u refused START: error %d (see the node log)", runs[i].cpus[c], -mb->result);
            }
            if (st >= AZ_INSTANCE_RUNNING && !running_at[i])
                running_at[i] = now_ms();
            done += st >= AZ_INSTANCE_EXITED;
        }
        if (opt.stop_after && !stopped && now_ms() - t0 > opt.stop_after) {
            for (int i = 0; i < n; i++)
                post(runs[i].cpus[0], AZ_CORE_CMD_STOP, 0);
            stopped = 1;
        }
        if (now_ms() - t0 > opt.timeout * 1000.0)
            die("instances still running after %d s", opt.timeout);
        forward_output();
        if (done < n)
            usleep(100);
    }
    usleep(2000); /* the proxy's last writes */
    forward_output();
    for (int i = 0; i < n; i++) {
        struct az_boot *b = gpa_ptr(runs[i].boot_gpa);
        struct az_node_info *ni = info();
        double launch = (b->tsc_entry - b->tsc_start) * 1e3 / (double)ni->tsc_hz;
        double run = (b->tsc_end - b->tsc_entry) * 1e3 / (double)ni->tsc_hz;
        printf("aznode: instance on node %d cpu %u: %s", runs[i].quadrant, runs[i].cpus[0], state_name(b->state));
        if (b->state == AZ_INSTANCE_EXITED)
            printf(" status %d", b->exit_status);
        if (b->state == AZ_INSTANCE_FAULTED)
            printf(" vector %u rip %#lx addr %#lx", b->fault_vector, (unsigned long)b->fault_rip,
                   (unsigned long)b->fault_address);
        if (b->message[0])
            printf(" (%s)", b->message);
        printf("; START->RUNNING seen by host %.2f ms, kernel load %.3f ms, ran %.2f ms\n",
               running_at[i] ? running_at[i] - runs[i].t_start : -1.0, launch, run);
        if (b->state != AZ_INSTANCE_EXITED)
            status = 1;
        else if (n == 1)
            status = b->exit_status & 0xff;
        else if (b->exit_status)
            status = 1;
        /* Every core back to PARKED before the next run. */
        for (uint32_t c = 0; c < runs[i].ncpus; c++)
            while (__atomic_load_n(&mailbox(runs[i].cpus[c])->state, __ATOMIC_ACQUIRE) != AZ_CORE_PARKED) {
                if (now_ms() - t0 > opt.timeout * 1000.0)
                    die("cpu %u did not park", runs[i].cpus[c]);
                usleep(100);
            }
    }
    fflush(stdout);
    return status;
}

static void parse_quadrants(const char *s)
{
    opt.nquadrants = 0;
    for (const char *p = s; *p && opt.nquadrants < MAX_RUNS;) {
        opt.quadrants[opt.nquadrants++] = (int)strtol(p, (char **)&p, 10);
        if (*p == ',')
            p++;
        else
            break;
    }
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "smp", 1, 0, 's' },     { "numa", 1, 0, 'n' },       { "node-mem", 1, 0, 'M' },
        { "bios", 1, 0, 'b' },    { "quadrant", 1, 0, 'q' },   { "cores", 1, 0, 'c' },
        { "mem", 1, 0, 'm' },     { "proxy", 0, 0, 'p' },      { "root", 1, 0, 'R' },
        { "repeat", 1, 0, 'r' },  { "stop-after", 1, 0, 'S' }, { "log", 1, 0, 'l' },
        { "timeout", 1, 0, 't' }, { "sequence", 0, 0, 'Q' }, { 0, 0, 0, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
        switch (c) {
        case 's': opt.smp = atoi(optarg); break;
        case 'n': opt.numa = atoi(optarg); break;
        case 'M': opt.node_mem = atoi(optarg); break;
        case 'b': opt.bios = optarg; break;
        case 'q': parse_quadrants(optarg); break;
        case 'c': opt.cores = atoi(optarg); break;
        case 'm': opt.mem = atoi(optarg); break;
        case 'p': opt.proxy = 1; break;
        case 'R': opt.root = optarg; break;
        case 'r': opt.repeat = atoi(optarg); break;
        case 'S': opt.stop_after = atoi(optarg); break;
        case 'l': opt.log = optarg; break;
        case 't': opt.timeout = atoi(optarg); break;
        case 'Q': opt.sequence = 1; break;
        default: return 2;
        }
    }
    if (opt.numa < 1 || opt.numa > MAX_NODES || opt.smp % opt.numa)
        die("--smp must be a multiple of --numa (1..%d)", MAX_NODES);
    static char dir[512];
    char *slash = strrchr(argv[0], '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - argv[0]) : 1, slash ? argv[0] : ".");
    self_dir = dir;
    char kernel[600];
    snprintf(kernel, sizeof kernel, "%s/azalea-kernel.elf", self_dir);

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    for (int n = 0; n < opt.numa; n++) {
        snprintf(shm_path[n], sizeof shm_path[n], "/dev/shm/aznode-%d-node%d", getpid(), n);
        create_node_file(n);
    }
    struct run runs[MAX_RUNS];
    int nruns = optind < argc ? opt.nquadrants : 0;
    uint64_t nonce = ((uint64_t)getpid() << 20) ^ (uint64_t)time(NULL);
    for (int i = 0; i < nruns; i++) {
        runs[i].quadrant = opt.quadrants[i];
        if (runs[i].quadrant < 1 || runs[i].quadrant >= opt.numa)
            die("--quadrant %d: must be 1..%d", runs[i].quadrant, opt.numa - 1);
        runs[i].mem_gpa = node_base(runs[i].quadrant);
        if (opt.proxy)
            start_proxy(&runs[i], i); /* before QEMU: c-proxy truncates the file */
    }
    map_nodes();

    double t0 = now_ms();
    start_qemu(kernel, nonce);
    wait_ready(t0, nonce);
    int status = 0;
    for (int i = 0; i < nruns; i++)
        pick(&runs[i]);
    int steps = opt.sequence ? (argc - optind) * opt.repeat : opt.repeat;
    for (int rep = 0; rep < steps && nruns; rep++) {
        for (int i = 0; i < nruns; i++) {
            int first = opt.sequence ? optind + rep % (argc - optind) : optind;
            int count = opt.sequence ? 1 : argc - optind;
            load(&runs[i], argv[first], count, argv + first, (uint64_t)(rep * MAX_RUNS + i + 1));
            runs[i].t_start = now_ms();
            for (uint32_t k = 0; k < runs[i].ncpus; k++)
                post(runs[i].cpus[k], AZ_CORE_CMD_START, runs[i].boot_gpa);
        }
        status = wait_runs(runs, nruns);
    }
    cleanup();
    return status;
}
