/*
 * callcost -- the cost of one file system call: open, read, write, stat and
 * close of a small file, each called CALLS times in a row and timed as a
 * whole.  On Azalea every one is offloaded to the full-weight kernel; in a
 * Linux guest its own kernel serves them; natively the host's does.
 *
 *   callcost [-n CALLS] [-d DIR]
 *
 * Output, one line per call:  callcost: result op=NAME calls=N ns=PER_CALL
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BATCH 256 /* fds open at once while timing open and close */
#define SMALL 512

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void fail(const char *what)
{
    perror(what);
    exit(1);
}

static void result(const char *op, long calls, double ns)
{
    printf("callcost: result op=%s calls=%ld ns=%.1f\n", op, calls, ns / (double)calls);
}

int main(int argc, char **argv)
{
    long calls = 20000;
    const char *dir = ".";
    int opt;
    while ((opt = getopt(argc, argv, "n:d:")) != -1) {
        if (opt == 'n')
            calls = atol(optarg);
        else if (opt == 'd')
            dir = optarg;
        else
            return 2;
    }
    if (calls < BATCH || calls > 100000000) {
        fprintf(stderr, "usage: callcost [-n CALLS (%d..1e8)] [-d DIR]\n", BATCH);
        return 2;
    }
    calls -= calls % BATCH;
    char path[512], buf[SMALL];
    snprintf(path, sizeof path, "%s/callcost-%d.dat", dir, (int)getpid());
    memset(buf, 'x', sizeof buf);
    int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
    if (fd < 0 || write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
        fail("callcost: create the file");

    int fds[BATCH];
    double open_ns = 0, close_ns = 0;
    for (long done = 0; done < calls; done += BATCH) {
        double t0 = now_ns();
        for (int i = 0; i < BATCH; i++)
            if ((fds[i] = open(path, O_RDONLY)) < 0)
                fail("callcost: open");
        double t1 = now_ns();
        for (int i = 0; i < BATCH; i++)
            if (close(fds[i]) != 0)
                fail("callcost: close");
        open_ns += t1 - t0;
        close_ns += now_ns() - t1;
    }
    double t0 = now_ns();
    for (long i = 0; i < calls; i++)
        if (pread(fd, buf, SMALL, 0) != SMALL)
            fail("callcost: pread");
    double read_ns = now_ns() - t0;
    t0 = now_ns();
    for (long i = 0; i < calls; i++)
        if (pwrite(fd, buf, SMALL, 0) != SMALL)
            fail("callcost: pwrite");
    double write_ns = now_ns() - t0;
    struct stat st;
    t0 = now_ns();
    for (long i = 0; i < calls; i++)
        if (stat(path, &st) != 0 || st.st_size != SMALL)
            fail("callcost: stat");
    double stat_ns = now_ns() - t0;
    close(fd);
    unlink(path);
    result("open", calls, open_ns);
    result("read", calls, read_ns);
    result("write", calls, write_ns);
    result("stat", calls, stat_ns);
    result("close", calls, close_ns);
    return 0;
}
