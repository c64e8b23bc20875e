/*
 * net.c -- AIM7's network tests over loopback, in one thread (a unikernel
 * user cannot fork a peer): TCP (connect to our own listener, accept, then
 * messages sent and echoed back) and UDP (datagrams between two sockets).
 * On Azalea every call is offloaded to the host's network stack.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "aim7.h"

#define MSG 1024

static int bound_socket(const char *test, int type, struct sockaddr_in *addr)
{
    int s = socket(AF_INET, type, 0);
    if (s < 0)
        aim7_fail(test, "socket");
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof *addr;
    if (bind(s, (struct sockaddr *)addr, sizeof *addr) != 0 || getsockname(s, (struct sockaddr *)addr, &len) != 0)
        aim7_fail(test, "bind to loopback");
    return s;
}

static void send_all(const char *test, int s, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(s, buf, len, 0);
        if (n <= 0)
            aim7_fail(test, "send");
        buf += n;
        len -= (size_t)n;
    }
}

static void recv_all(const char *test, int s, char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = recv(s, buf, len, 0);
        if (n <= 0)
            aim7_fail(test, "recv");
        buf += n;
        len -= (size_t)n;
    }
}

static uint64_t tcp_test(const struct aim7_ctx *c)
{
    struct sockaddr_in addr;
    int listener = bound_socket("tcp_test", SOCK_STREAM, &addr);
    if (listen(listener, 4) != 0)
        aim7_fail("tcp_test", "listen");
    int client = socket(AF_INET, SOCK_STREAM, 0);
    if (client < 0 || connect(client, (struct sockaddr *)&addr, sizeof addr) != 0)
        aim7_fail("tcp_test", "connect");
    int server = accept(listener, NULL, NULL);
    if (server < 0)
        aim7_fail("tcp_test", "accept");
    int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char out[MSG], in[MSG];
    long n = aim7_loops(c, 64);
    uint64_t s = 0;
    for (long i = 0; i < n; i++) {
        memset(out, 'a' + (int)(i % 26), MSG);
        send_all("tcp_test", client, out, MSG);
        recv_all("tcp_test", server, in, MSG);
        send_all("tcp_test", server, in, MSG);
        recv_all("tcp_test", client, in, MSG);
        if (memcmp(in, out, MSG) != 0)
            aim7_fail("tcp_test", "echo %ld differs", i);
        s += (uint64_t)(unsigned char)in[0] * MSG;
    }
    close(client);
    close(server);
    close(listener);
    return aim7_mix(s);
}

static uint64_t udp_test(const struct aim7_ctx *c)
{
    struct sockaddr_in a_addr, b_addr;
    int a = bound_socket("udp_test", SOCK_DGRAM, &a_addr), b = bound_socket("udp_test", SOCK_DGRAM, &b_addr);
    char out[MSG], in[MSG];
    long n = aim7_loops(c, 64);
    uint64_t s = 0;
    for (long i = 0; i < n; i++) {
        memset(out, 'A' + (int)(i % 26), MSG);
        if (sendto(a, out, MSG, 0, (struct sockaddr *)&b_addr, sizeof b_addr) != MSG)
            aim7_fail("udp_test", "sendto");
        if (recvfrom(b, in, MSG, 0, NULL, NULL) != MSG || memcmp(in, out, MSG) != 0)
            aim7_fail("udp_test", "datagram %ld", i);
        if (sendto(b, in, MSG, 0, (struct sockaddr *)&a_addr, sizeof a_addr) != MSG)
            aim7_fail("udp_test", "sendto back");
        if (recvfrom(a, in, MSG, 0, NULL, NULL) != MSG || memcmp(in, out, MSG) != 0)
            aim7_fail("udp_test", "datagram back %ld", i);
        s += (uint64_t)(unsigned char)in[0] * MSG;
    }
    close(a);
    close(b);
    return aim7_mix(s + 1);
}

const struct aim7_test aim7_net_tests[] = {
    {"tcp_test", tcp_test},
    {"udp_test", udp_test},
};
const size_t aim7_net_count = sizeof aim7_net_tests / sizeof aim7_net_tests[0];
