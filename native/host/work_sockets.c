/*
 * work_sockets.c -- the socket workload (see stub_workloads.h).
 *
 * Part 1 talks to an echo server the caller runs on 127.0.0.1:PORT (it must
 * echo every byte back and close its side when it reads end-of-file).
 * Part 2 listens on an ephemeral port, connects to itself, and accepts on a
 * second thread.  The order (connect and send first, then the accepting
 * thread, joined before the main thread reads) never needs two of our calls
 * to be in the proxy at once, so it works whether or not the proxy runs a
 * channel's blocking calls concurrently; the acceptor's lines are buffered
 * and printed after the join, so the transcript is deterministic.
 * Port numbers are shown as roles ("server", "listener", "ephemeral"), never
 * as numbers, which differ from run to run.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "transcript.h"
#include "stub_workloads.h"

enum { BULK = 32768 };

struct sockets {
    const struct sysops *o;
    struct transcript t;
    int server_port;          /* the echo server's */
    int listen_port;          /* our listener's */
    int client_port;          /* our connecting socket's, as the acceptor should see it */
    struct sockaddr_in *addr; /* arena scratch */
    socklen_t *len;
    char *buf;
    char text[128];
};

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* "addr=127.0.0.1 port=<role>" for the address in s->addr. */
static const char *addr_text(struct sockets *s, long result)
{
    if (result < 0)
        return "";
    char ip[INET_ADDRSTRLEN] = "?";
    inet_ntop(AF_INET, &s->addr->sin_addr, ip, sizeof ip);
    int port = ntohs(s->addr->sin_port);
    const char *role = port == s->server_port   ? "server"
                       : port == s->listen_port ? "listener"
                       : port == s->client_port ? "client"
                       : port != 0              ? "ephemeral"
                                                : "zero";
    snprintf(s->text, sizeof s->text, "family=%s addr=%s port=%s", s->addr->sin_family == AF_INET ? "AF_INET" : "other",
             ip, role);
    return s->text;
}

static long name_step(struct sockets *s, const char *name, int fd, int (*get)(int, struct sockaddr *, socklen_t *))
{
    memset(s->addr, 0, sizeof *s->addr);
    *s->len = sizeof *s->addr;
    long r = get(fd, (struct sockaddr *)s->addr, s->len);
    tr_step(&s->t, name, r, 0, "%s", addr_text(s, r));
    return r;
}

/* Receives exactly n bytes (or until EOF/error) into buf. */
static long recv_all(const struct sysops *o, int fd, char *buf, long n)
{
    long got = 0;
    while (got < n) {
        long r = o->recv(fd, buf + got, (size_t)(n - got), 0);
        if (r <= 0)
            return got ? got : r;
        got += r;
    }
    return got;
}

static long send_all(const struct sysops *o, int fd, const char *buf, long n)
{
    long sent = 0;
    while (sent < n) {
        long r = o->send(fd, buf + sent, (size_t)(n - sent), 0);
        if (r <= 0)
            return sent ? sent : r;
        sent += r;
    }
    return sent;
}

static void echo_part(struct sockets *s)
{
    const struct sysops *o = s->o;
    struct transcript *t = &s->t;
    char esc[64];
    int fd = (int)tr_step(t, "socket", o->socket(AF_INET, SOCK_STREAM, 0), WANT_FD, NULL);
    *s->addr = loopback(s->server_port);
    tr_step(t, "connect", o->connect(fd, (struct sockaddr *)s->addr, sizeof *s->addr), 0, NULL);
    name_step(s, "getpeername", fd, o->getpeername);
    name_step(s, "getsockname", fd, o->getsockname);
    int *one = arena_alloc(sizeof *one);
    *one = 1;
    tr_step(t, "setsockopt-nodelay", o->setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, one, sizeof *one), 0, NULL);
    *one = 0;
    *s->len = sizeof *one;
    long r = o->getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, one, s->len);
    tr_step(t, "getsockopt-nodelay", r, 0, "set=%s len=%u", *one ? "yes" : "no", (unsigned)*s->len);

    strcpy(s->buf, "ping 1\n");
    tr_step(t, "send", o->send(fd, s->buf, 7, 0), 7, NULL);
    memset(s->buf, 0, 16);
    r = recv_all(o, fd, s->buf, 7);
    tr_step(t, "recv-echo", r, 7, "data=\"%s\"", tr_escape(esc, sizeof esc, s->buf, r > 0 ? (size_t)r : 0));
    tr_check(t, "recv-echo-data", r == 7 && memcmp(s->buf, "ping 1\n", 7) == 0);

    char *bulk = arena_alloc(BULK), *back = arena_alloc(BULK);
    for (int i = 0; i < BULK; i++)
        bulk[i] = (char)(i * 7 + i / 251);
    tr_step(t, "send-bulk", send_all(o, fd, bulk, BULK), BULK, NULL);
    r = tr_step(t, "recv-bulk", recv_all(o, fd, back, BULK), BULK, NULL);
    tr_check(t, "recv-bulk-data", r == BULK && memcmp(bulk, back, BULK) == 0);
    tr_step(t, "shutdown-wr", o->shutdown(fd, SHUT_WR), 0, NULL);
    tr_step(t, "recv-eof", o->recv(fd, s->buf, 16, 0), 0, NULL);
    tr_step(t, "send-after-shutdown", o->send(fd, s->buf, 1, MSG_NOSIGNAL), -EPIPE, NULL);
    tr_step(t, "close", o->close(fd), 0, NULL);
    tr_step(t, "close-again", o->close(fd), -EBADF, NULL);
}

struct acceptor {
    struct sockets *s;
    int listen_fd;
    char *lines;
    size_t size;
    int failures;
};

static void *accept_thread(void *arg)
{
    struct acceptor *a = arg;
    struct sockets *s = a->s;
    const struct sysops *o = s->o;
    /* Its own transcript and scratch: the main thread's are in its own arena. */
    struct sockets mine = *s;
    FILE *out = open_memstream(&a->lines, &a->size);
    mine.t.out = out;
    mine.t.failures = 0;
    if (o->thread_init() != 0) {
        fprintf(out, "acceptor.thread-init failed\n");
        a->failures = 1;
        fclose(out);
        return NULL;
    }
    mine.addr = arena_alloc(sizeof *mine.addr);
    mine.len = arena_alloc(sizeof *mine.len);
    mine.buf = arena_alloc(64);
    *mine.len = sizeof *mine.addr;
    long fd = o->accept(a->listen_fd, (struct sockaddr *)mine.addr, mine.len);
    tr_step(&mine.t, "acceptor.accept", fd, WANT_FD, "%s", addr_text(&mine, fd));
    name_step(&mine, "acceptor.getsockname", (int)fd, o->getsockname);
    name_step(&mine, "acceptor.getpeername", (int)fd, o->getpeername);
    char esc[64];
    long r = recv_all(o, (int)fd, mine.buf, 14);
    tr_step(&mine.t, "acceptor.recv", r, 14, "data=\"%s\"",
            tr_escape(esc, sizeof esc, mine.buf, r > 0 ? (size_t)r : 0));
    strcpy(mine.buf, "HELLO ACCEPTOR");
    tr_step(&mine.t, "acceptor.send", o->send((int)fd, mine.buf, 14, 0), 14, NULL);
    tr_step(&mine.t, "acceptor.close", o->close((int)fd), 0, NULL);
    a->failures = mine.t.failures;
    fclose(out);
    return NULL;
}

static void listen_part(struct sockets *s)
{
    const struct sysops *o = s->o;
    struct transcript *t = &s->t;
    int lfd = (int)tr_step(t, "listen-socket", o->socket(AF_INET, SOCK_STREAM, 0), WANT_FD, NULL);
    int *one = arena_alloc(sizeof *one);
    *one = 1;
    tr_step(t, "setsockopt-reuseaddr", o->setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, one, sizeof *one), 0, NULL);
    *s->addr = loopback(0);
    tr_step(t, "bind", o->bind(lfd, (struct sockaddr *)s->addr, sizeof *s->addr), 0, NULL);
    tr_step(t, "bind-again", o->bind(lfd, (struct sockaddr *)s->addr, sizeof *s->addr), -EINVAL, NULL);
    tr_step(t, "listen", o->listen(lfd, 4), 0, NULL);
    *s->len = sizeof *s->addr;
    if (o->getsockname(lfd, (struct sockaddr *)s->addr, s->len) == 0)
        s->listen_port = ntohs(s->addr->sin_port);
    name_step(s, "listen-getsockname", lfd, o->getsockname);

    int cfd = (int)tr_step(t, "client-socket", o->socket(AF_INET, SOCK_STREAM, 0), WANT_FD, NULL);
    *s->addr = loopback(s->listen_port);
    tr_step(t, "client-connect", o->connect(cfd, (struct sockaddr *)s->addr, sizeof *s->addr), 0, NULL);
    *s->len = sizeof *s->addr;
    if (o->getsockname(cfd, (struct sockaddr *)s->addr, s->len) == 0)
        s->client_port = ntohs(s->addr->sin_port);
    name_step(s, "client-getpeername", cfd, o->getpeername);
    strcpy(s->buf, "hello acceptor");
    tr_step(t, "client-send", o->send(cfd, s->buf, 14, 0), 14, NULL);

    struct acceptor a = {.s = s, .listen_fd = lfd};
    pthread_t th;
    if (pthread_create(&th, NULL, accept_thread, &a) != 0) {
        tr_step(t, "acceptor-thread", -EAGAIN, 0, NULL);
        return;
    }
    pthread_join(th, NULL);
    if (a.lines)
        fputs(a.lines, t->out);
    free(a.lines);
    t->failures += a.failures;

    struct pollfd *p = arena_alloc(sizeof *p);
    p->fd = cfd;
    p->events = POLLIN;
    long r = o->poll(p, 1, 5000);
    tr_step(t, "client-poll", r, 1, "pollin=%s", (p->revents & POLLIN) ? "yes" : "no");
    char esc[64];
    memset(s->buf, 0, 16);
    r = recv_all(o, cfd, s->buf, 14);
    tr_step(t, "client-recv", r, 14, "data=\"%s\"", tr_escape(esc, sizeof esc, s->buf, r > 0 ? (size_t)r : 0));
    tr_check(t, "client-recv-data", r == 14 && memcmp(s->buf, "HELLO ACCEPTOR", 14) == 0);
    tr_step(t, "client-recv-eof", o->recv(cfd, s->buf, 16, 0), 0, NULL);
    tr_step(t, "client-close", o->close(cfd), 0, NULL);
    tr_step(t, "listen-close", o->close(lfd), 0, NULL);

    /* A port nobody listens on: the one we just closed. */
    int rfd = (int)tr_step(t, "refused-socket", o->socket(AF_INET, SOCK_STREAM, 0), WANT_FD, NULL);
    *s->addr = loopback(s->listen_port);
    tr_step(t, "connect-refused", o->connect(rfd, (struct sockaddr *)s->addr, sizeof *s->addr), -ECONNREFUSED, NULL);
    tr_step(t, "refused-close", o->close(rfd), 0, NULL);
}

int workload_sockets(const struct sysops *o, FILE *out, int port)
{
    struct sockets *s = calloc(1, sizeof *s);
    s->o = o;
    s->t.out = out;
    s->server_port = port;
    s->addr = arena_alloc(sizeof *s->addr);
    s->len = arena_alloc(sizeof *s->len);
    s->buf = arena_alloc(64);
    echo_part(s);
    listen_part(s);
    int failures = tr_finish(&s->t);
    free(s);
    return failures;
}
