/*
 * echo_client -- the instance as a network client of the host: a TCP
 * connection to an echo server on the host (connect, send/recv, writev,
 * getsockname/getpeername, shutdown) and a UDP round trip (sendto,
 * recvfrom), with addresses from getaddrinfo on numeric hosts.
 *
 *   echo_client TCP_PORT UDP_PORT      (servers on 127.0.0.1)
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

static struct sockaddr_in resolve(const char *port, int type)
{
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = type, .ai_flags = AI_NUMERICHOST}, *res;
    CHECK(getaddrinfo("127.0.0.1", port, &hints, &res) == 0);
    struct sockaddr_in a;
    memcpy(&a, res->ai_addr, sizeof a);
    freeaddrinfo(res);
    return a;
}

static void read_exactly(int fd, char *buf, size_t n)
{
    for (size_t got = 0; got < n;) {
        ssize_t r = recv(fd, buf + got, n - got, 0);
        CHECK(r > 0);
        got += (size_t)r;
    }
}

int main(int argc, char **argv)
{
    CHECK(argc >= 3);
    struct sockaddr_in tcp = resolve(argv[1], SOCK_STREAM), udp = resolve(argv[2], SOCK_DGRAM);

    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    CHECK(connect(s, (struct sockaddr *)&tcp, sizeof tcp) == 0);
    struct sockaddr_in me, peer;
    socklen_t l1 = sizeof me, l2 = sizeof peer;
    CHECK(getsockname(s, (struct sockaddr *)&me, &l1) == 0 && ntohs(me.sin_port) != 0);
    CHECK(getpeername(s, (struct sockaddr *)&peer, &l2) == 0 && peer.sin_port == tcp.sin_port);
    char line[64], back[64];
    for (int i = 0; i < 50; i++) {
        int n = snprintf(line, sizeof line, "message %d from the instance\n", i);
        CHECK(send(s, line, (size_t)n, 0) == n);
        read_exactly(s, back, (size_t)n);
        CHECK(memcmp(line, back, (size_t)n) == 0);
    }
    struct iovec iov[2] = {{"two ", 4}, {"pieces\n", 7}};
    CHECK(writev(s, iov, 2) == 11);
    read_exactly(s, back, 11);
    CHECK(memcmp(back, "two pieces\n", 11) == 0);
    CHECK(shutdown(s, SHUT_WR) == 0);
    CHECK(recv(s, back, sizeof back, 0) == 0); /* the server saw our end and closed */
    close(s);
    printf("echo_client: tcp ok\n");

    int u = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(u >= 0);
    const char msg[] = "datagram from the instance";
    CHECK(sendto(u, msg, sizeof msg, 0, (struct sockaddr *)&udp, sizeof udp) == (ssize_t)sizeof msg);
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    char dg[128];
    ssize_t n = recvfrom(u, dg, sizeof dg, 0, (struct sockaddr *)&from, &fl);
    CHECK(n == (ssize_t)sizeof msg && memcmp(dg, msg, sizeof msg) == 0);
    CHECK(from.sin_port == udp.sin_port && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    close(u);
    printf("echo_client: udp ok\n");
    pass("echo_client");
    return 0;
}
