/* sysops_offload.c -- the workloads' system calls through the proxy: azlib itself. */
#include "azlib.h"
#include "sysops.h"

/* Where workload threads bind; set once by sysops_offload() before any thread starts. */
static struct az_host *bound_host;
static struct az_chan *bound_chan;

static int o_thread_init(void)
{
    return azlib_bind(bound_host, bound_chan, SYSOPS_ARENA_BYTES);
}

static const struct sysops offload = {
    .name = "offload",
    .thread_init = o_thread_init,
    .open = az_open,
    .openat = az_openat,
    .close = az_close,
    .read = az_read,
    .write = az_write,
    .pread = az_pread,
    .pwrite = az_pwrite,
    .readv = az_readv,
    .writev = az_writev,
    .lseek = az_lseek,
    .stat = az_stat,
    .lstat = az_lstat,
    .fstat = az_fstat,
    .newfstatat = az_newfstatat,
    .access = az_access,
    .mkdir = az_mkdir,
    .rmdir = az_rmdir,
    .unlink = az_unlink,
    .unlinkat = az_unlinkat,
    .rename = az_rename,
    .link = az_link,
    .symlink = az_symlink,
    .readlink = az_readlink,
    .getdents64 = az_getdents64,
    .getcwd = az_getcwd,
    .chdir = az_chdir,
    .fchdir = az_fchdir,
    .truncate = az_truncate,
    .ftruncate = az_ftruncate,
    .fsync = az_fsync,
    .fdatasync = az_fdatasync,
    .fcntl = az_fcntl,
    .dup = az_dup,
    .dup2 = az_dup2,
    .fchmod = az_fchmod,
    .uname = az_uname,
    .socket = az_socket,
    .bind = az_bind,
    .listen = az_listen,
    .accept = az_accept,
    .connect = az_connect,
    .send = az_send,
    .recv = az_recv,
    .shutdown = az_shutdown,
    .getsockname = az_getsockname,
    .getpeername = az_getpeername,
    .setsockopt = az_setsockopt,
    .getsockopt = az_getsockopt,
    .poll = az_poll,
};

const struct sysops *sysops_offload(struct az_host *h, struct az_chan *ch)
{
    bound_host = h;
    bound_chan = ch;
    return &offload;
}
