/*
 * echo_server -- a TCP echo server inside the instance, on sockets the
 * host offloads: socket, setsockopt, bind, listen, getsockname, poll,
 * accept, getpeername, read/write, shutdown, close, and one thread per
 * client, so a client blocked in read does not stop the others nor the
 * accepting thread.  Ends after serving CLIENTS connections.
 *
 *   echo_server PORT [CLIENTS]      (127.0.0.1:PORT, default 3 clients)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"

#define MAX_CLIENTS 64

static void *serve(void *arg)
{
    int c = (int)(long)arg;
    char buf[4096];
    long total = 0;
    for (;;) {
        ssize_t n = read(c, buf, sizeof buf);
        CHECK(n >= 0);
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(c, buf + off, (size_t)(n - off));
            CHECK(w > 0);
            off += w;
        }
        total += n;
    }
    close(c);
    return (void *)total;
}

int main(int argc, char **argv)
{
    CHECK(argc >= 2);
    int port = atoi(argv[1]), clients = argc > 2 ? atoi(argv[2]) : 3;
    CHECK(clients >= 1 && clients <= MAX_CLIENTS);
    char host[64];
    CHECK(gethostname(host, sizeof host) == 0);

    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    int one = 1;
    CHECK(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    CHECK(inet_pton(AF_INET, "127.0.0.1", &a.sin_addr) == 1);
    CHECK(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
    CHECK(listen(s, 16) == 0);
    struct sockaddr_in me;
    socklen_t len = sizeof me;
    CHECK(getsockname(s, (struct sockaddr *)&me, &len) == 0 && ntohs(me.sin_port) == port);
    printf("echo_server: %s listening on 127.0.0.1:%d\n", host, port);
    fflush(stdout);

    pthread_t t[MAX_CLIENTS];
    for (int i = 0; i < clients; i++) {
        struct pollfd p = {.fd = s, .events = POLLIN};
        CHECK(poll(&p, 1, 60000) == 1 && (p.revents & POLLIN));
        struct sockaddr_in peer, peer2;
        socklen_t plen = sizeof peer, plen2 = sizeof peer2;
        int c = accept(s, (struct sockaddr *)&peer, &plen);
        CHECK(c >= 0);
        CHECK(getpeername(c, (struct sockaddr *)&peer2, &plen2) == 0);
        CHECK(peer2.sin_port == peer.sin_port && peer2.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
        CHECK(pthread_create(&t[i], 0, serve, (void *)(long)c) == 0);
    }
    long total = 0;
    for (int i = 0; i < clients; i++) {
        void *n;
        pthread_join(t[i], &n);
        total += (long)n;
    }
    close(s);
    printf("echo_server: %d clients, %ld bytes echoed\n", clients, total);
    pass("echo_server");
    return 0;
}
