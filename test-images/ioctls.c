/*
 * ioctls.c -- the pointer-taking ioctls programs use on pipes, sockets, files
 * and stdio, as Linux answers them: FIONBIO (the open file's O_NONBLOCK),
 * FIONREAD (bytes waiting), FIOCLEX/FIONCLEX, TCGETS and TIOCGWINSZ (ENOTTY
 * when not a terminal: isatty and stdio's line buffering rely on it), an
 * unknown request, and a bad pointer.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "compat.h"

int main(void)
{
    int p[2], sv[2];
    char buf[16];
    CHECK(pipe(p) == 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);

    int on = 1, off = 0, avail = -1;
    SHOW("FIONBIO on", ioctl(p[0], FIONBIO, &on));
    printf("  F_GETFL O_NONBLOCK: %d\n", !!(fcntl(p[0], F_GETFL) & O_NONBLOCK));
    SHOW("  read of the empty pipe", read(p[0], buf, sizeof buf));
    SHOW("FIONBIO off", ioctl(p[0], FIONBIO, &off));
    printf("  F_GETFL O_NONBLOCK: %d\n", !!(fcntl(p[0], F_GETFL) & O_NONBLOCK));

    SHOW("FIONREAD on an empty pipe", ioctl(p[0], FIONREAD, &avail));
    printf("  %d bytes\n", avail);
    CHECK(write(p[1], "hello", 5) == 5);
    SHOW("FIONREAD after 5 bytes", ioctl(p[0], FIONREAD, &avail));
    printf("  %d bytes\n", avail);
    CHECK(send(sv[0], "abc", 3, 0) == 3);
    SHOW("FIONREAD on a socket", ioctl(sv[1], FIONREAD, &avail));
    printf("  %d bytes\n", avail);
    int f = open("file", O_CREAT | O_RDWR | O_TRUNC, 0600);
    CHECK(f >= 0 && write(f, "0123456789", 10) == 10 && lseek(f, 4, SEEK_SET) == 4);
    SHOW("FIONREAD on a file at offset 4 of 10", ioctl(f, FIONREAD, &avail));
    printf("  %d bytes\n", avail);
    close(f);
    unlink("file");

    SHOW("FIOCLEX", ioctl(p[1], FIOCLEX));
    printf("  FD_CLOEXEC: %d\n", !!(fcntl(p[1], F_GETFD) & FD_CLOEXEC));
    SHOW("FIONCLEX", ioctl(p[1], FIONCLEX));
    printf("  FD_CLOEXEC: %d\n", !!(fcntl(p[1], F_GETFD) & FD_CLOEXEC));

    struct termios t;
    struct winsize ws;
    SHOW("TCGETS on a pipe", ioctl(p[0], TCGETS, &t));
    SHOW("TIOCGWINSZ on a socket", ioctl(sv[0], TIOCGWINSZ, &ws));
    SHOW("TCGETS on stdout (not a terminal here)", ioctl(1, TCGETS, &t));
    printf("isatty(1): %d\n", isatty(1));
    SHOW("unknown request on a pipe", ioctl(p[0], 0x1234, 0));
    SHOW("FIONBIO with a bad pointer", ioctl(p[0], FIONBIO, (int *)8));
    SHOW("FIONREAD on a closed fd", ioctl(99, FIONREAD, &avail));
    pass("ioctls");
    return 0;
}
