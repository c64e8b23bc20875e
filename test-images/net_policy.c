/*
 * net_policy -- what an instance's network policy lets through, seen from the
 * program: the errnos of refused calls and where a wildcard bind lands.
 *
 *   net_policy none|loopback|host PORT     (a TCP server of the host on 127.0.0.1:PORT)
 *
 * Prints one line per finding ("wildcard bind -> 127.0.0.1") for the test to
 * assert on, then the pass marker.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"

static struct sockaddr_in in4(const char *addr, int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    CHECK(inet_pton(AF_INET, addr, &a.sin_addr) == 1);
    return a;
}

/* The address a socket is bound to, as text. */
static const char *local(int fd, char *buf, size_t len)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    CHECK(getsockname(fd, (struct sockaddr *)&a, &alen) == 0);
    CHECK(a.sin_family == AF_INET);
    CHECK(inet_ntop(AF_INET, &a.sin_addr, buf, (socklen_t)len) != NULL);
    return buf;
}

int main(int argc, char **argv)
{
    CHECK(argc == 3);
    const char *mode = argv[1];
    int port = atoi(argv[2]);
    char text[INET_ADDRSTRLEN];

    int u = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(u >= 0); /* AF_UNIX is outside the policy */
    close(u);

    if (strcmp(mode, "none") == 0) {
        errno = 0;
        CHECK(socket(AF_INET, SOCK_STREAM, 0) == -1 && errno == EACCES);
        errno = 0;
        CHECK(socket(AF_INET6, SOCK_DGRAM, 0) == -1 && errno == EACCES);
        printf("socket(AF_INET) -> EACCES\n");
        pass("net_policy none");
        return 0;
    }

    /* The host's server on loopback is reachable under loopback and host. */
    int c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(c >= 0);
    struct sockaddr_in srv = in4("127.0.0.1", port);
    CHECK(connect(c, (struct sockaddr *)&srv, sizeof srv) == 0);
    CHECK(write(c, "hi", 2) == 2);
    close(c);
    printf("connect 127.0.0.1 -> ok\n");

    int w = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(w >= 0);
    struct sockaddr_in any = in4("0.0.0.0", 0);
    CHECK(bind(w, (struct sockaddr *)&any, sizeof any) == 0);
    CHECK(listen(w, 1) == 0);
    printf("wildcard bind -> %s\n", local(w, text, sizeof text));
    close(w);

    if (strcmp(mode, "loopback") == 0) {
        /* 192.0.2.1 (RFC 5737) is never routed: refused before any packet. */
        struct sockaddr_in far = in4("192.0.2.1", 80);
        int f = socket(AF_INET, SOCK_STREAM, 0);
        CHECK(f >= 0);
        errno = 0;
        CHECK(connect(f, (struct sockaddr *)&far, sizeof far) == -1 && errno == ENETUNREACH);
        errno = 0;
        CHECK(bind(f, (struct sockaddr *)&far, sizeof far) == -1 && errno == EADDRNOTAVAIL);
        close(f);
        printf("connect 192.0.2.1 -> ENETUNREACH\nbind 192.0.2.1 -> EADDRNOTAVAIL\n");

        int d = socket(AF_INET, SOCK_DGRAM, 0);
        CHECK(d >= 0);
        errno = 0;
        CHECK(sendto(d, "x", 1, 0, (struct sockaddr *)&far, sizeof far) == -1 && errno == ENETUNREACH);
        printf("sendto 192.0.2.1 -> ENETUNREACH\n");
        close(d);

        int l = socket(AF_INET, SOCK_STREAM, 0);
        CHECK(l >= 0);
        CHECK(listen(l, 1) == 0); /* Linux would bind it to 0.0.0.0 */
        printf("listen unbound -> %s\n", local(l, text, sizeof text));
        close(l);
    }
    pass(strcmp(mode, "host") == 0 ? "net_policy host" : "net_policy loopback");
    return 0;
}
