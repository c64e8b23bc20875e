/*
 * socketpair.c -- AF_UNIX socketpair as Linux defines it: stream (EOF after
 * shutdown, EPIPE with MSG_NOSIGNAL after the peer closed), datagram and
 * seqpacket (message boundaries, truncation), SOCK_NONBLOCK (EAGAIN), a
 * blocking recv woken by another thread, and the families it refuses.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "compat.h"

static int late_fd;

static void *late_sender(void *arg)
{
    (void)arg;
    sleep_ms(50);
    CHECK(send(late_fd, "wake", 4, 0) == 4);
    return NULL;
}

int main(void)
{
    int sv[2];
    char buf[64];

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    SHOW("stream: send ping", send(sv[0], "ping", 4, 0));
    SHOW("stream: recv", recv(sv[1], buf, sizeof buf, 0));
    SHOW("stream: send pong back", write(sv[1], "pong", 4));
    SHOW("stream: read", read(sv[0], buf, sizeof buf));
    printf("stream: got '%.4s'\n", buf);
    late_fd = sv[0];
    pthread_t t;
    CHECK(pthread_create(&t, NULL, late_sender, NULL) == 0);
    SHOW("stream: blocking recv woken by a thread", recv(sv[1], buf, sizeof buf, 0));
    CHECK(pthread_join(t, NULL) == 0);
    SHOW("stream: shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
    SHOW("stream: recv after the peer's shutdown", recv(sv[1], buf, sizeof buf, 0));
    SHOW("stream: close", close(sv[1]));
    SHOW("stream: send MSG_NOSIGNAL to a closed peer", send(sv[0], "x", 1, MSG_NOSIGNAL));
    close(sv[0]);

    CHECK(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0);
    printf("dgram: O_NONBLOCK %d, FD_CLOEXEC %d\n", !!(fcntl(sv[0], F_GETFL) & O_NONBLOCK),
           !!(fcntl(sv[0], F_GETFD) & FD_CLOEXEC));
    SHOW("dgram: recv on empty", recv(sv[1], buf, sizeof buf, 0));
    SHOW("dgram: send 3", send(sv[0], "abc", 3, 0));
    SHOW("dgram: send 10", send(sv[0], "0123456789", 10, 0));
    SHOW("dgram: send 1", send(sv[0], "z", 1, 0));
    SHOW("dgram: recv", recv(sv[1], buf, sizeof buf, 0));
    SHOW("dgram: recv into 4 bytes (truncated)", recv(sv[1], buf, 4, 0));
    SHOW("dgram: recv MSG_PEEK|MSG_TRUNC length", recv(sv[1], buf, 0, MSG_PEEK | MSG_TRUNC));
    SHOW("dgram: recv", recv(sv[1], buf, sizeof buf, 0));
    close(sv[0]);
    close(sv[1]);

    CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
    SHOW("seqpacket: send 5", send(sv[0], "hello", 5, 0));
    SHOW("seqpacket: send 2", send(sv[0], "hi", 2, 0));
    SHOW("seqpacket: recv", recv(sv[1], buf, sizeof buf, 0));
    SHOW("seqpacket: recv", recv(sv[1], buf, sizeof buf, 0));
    close(sv[0]);
    SHOW("seqpacket: recv after the peer closed", recv(sv[1], buf, sizeof buf, 0));
    close(sv[1]);

    SHOW("AF_INET socketpair", socketpair(AF_INET, SOCK_STREAM, 0, sv));
    SHOW("unknown family socketpair", socketpair(4242, SOCK_STREAM, 0, sv));
    SHOW("bad type flags", socketpair(AF_UNIX, SOCK_STREAM | 0x10000000, 0, sv));
    pass("socketpair");
    return 0;
}
