/* Whether a window can open here: a display is named (DISPLAY or WAYLAND_DISPLAY) and a server
 * answers on it. A stale DISPLAY (the X server of a closed session) is treated as no display,
 * so lockviz stays headless instead of opening a window nobody sees. It only connects and
 * hangs up: it speaks no X or Wayland protocol, and does not load SDL. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <fcntl.h>
#include "cli.h"

/* 0 when a stream socket at path (abstract when abstract) accepts a connection. */
static int try_unix(const char *path, int abstract) {
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    size_t n = strlen(path), off = abstract ? 1 : 0;
    if (n + off >= sizeof a.sun_path) return -1;
    memcpy(a.sun_path + off, path, n);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + off + n);
    int rc = connect(fd, (struct sockaddr *)&a, len);
    close(fd);
    return rc == 0 ? 0 : -1;
}

/* 0 when host:port accepts a TCP connection within a second. */
static int try_tcp(const char *host, int port) {
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    if (getaddrinfo(host, ps, &hints, &res) != 0) return -1;
    int ok = -1;
    for (struct addrinfo *ai = res; ai && ok != 0; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            ok = 0;
        } else if (errno == EINPROGRESS) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            int e = 0;
            socklen_t el = sizeof e;
            if (poll(&p, 1, 1000) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) == 0 &&
                e == 0)
                ok = 0;
        }
        close(fd);
    }
    freeaddrinfo(res);
    return ok;
}

/* An X display name: [host]:N[.S], or a socket path (as some systems set it). */
static int x_answers(const char *d) {
    if (d[0] == '/') return try_unix(d, 0);
    const char *colon = strrchr(d, ':');
    if (!colon || colon[1] < '0' || colon[1] > '9') return -1;
    int n = atoi(colon + 1);
    char host[256];
    size_t hl = (size_t)(colon - d);
    if (hl >= sizeof host) return -1;
    memcpy(host, d, hl);
    host[hl] = 0;
    if (hl == 0 || strcmp(host, "unix") == 0) {
        char path[64];
        snprintf(path, sizeof path, "/tmp/.X11-unix/X%d", n);
        return try_unix(path, 1) == 0 || try_unix(path, 0) == 0 ? 0 : -1;
    }
    return try_tcp(host, 6000 + n);
}

static int wayland_answers(const char *w) {
    if (w[0] == '/') return try_unix(w, 0);
    const char *dir = getenv("XDG_RUNTIME_DIR");
    if (!dir || !*dir) return -1;
    char path[512];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, w) >= sizeof path) return -1;
    return try_unix(path, 0);
}

static int probed = -1;
static char why[320];

int lv_have_display(void) {
    if (probed >= 0) return probed;
    const char *x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
    int hx = x && *x, hw = w && *w;
    probed = 0;
    if (!hx && !hw) {
        snprintf(why, sizeof why, "no display (DISPLAY and WAYLAND_DISPLAY are unset)");
    } else if ((hw && wayland_answers(w) == 0) || (hx && x_answers(x) == 0)) {
        probed = 1;
    } else if (hx && hw) {
        snprintf(why, sizeof why,
                 "no display (nothing answers on DISPLAY=%.100s or WAYLAND_DISPLAY=%.100s)", x, w);
    } else if (hx) {
        snprintf(why, sizeof why, "no display (no X server answers on DISPLAY=%.200s)", x);
    } else {
        snprintf(why, sizeof why,
                 "no display (no Wayland compositor answers on "
                 "WAYLAND_DISPLAY=%.200s)",
                 w);
    }
    return probed;
}

const char *lv_display_why_not(void) {
    return lv_have_display() ? "" : why;
}
