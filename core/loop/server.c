/* Server setup and the event loop: listening sockets, accept, stdin,
 * timers and orderly exit. Everything is non-blocking; one epoll set serves
 * every connection, so an idle or slow client never delays another. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "module/host_api.h"
#include "options/credentials.h"
#include "output/events.h"

/* epoll tags for the non-connection descriptors (pointers are never this small). */
#define TAG_LISTEN0 1
#define TAG_LISTEN1 2
#define TAG_STDIN 3
#define TAG_UDP 4

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

int64_t ptls_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t ptls_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void format_sockaddr(const struct sockaddr *sa, char *buf, size_t len)
{
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const void *)sa;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
        snprintf(buf, len, "%s:%d", host, port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const void *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        port = ntohs(in6->sin6_port);
        snprintf(buf, len, "[%s]:%d", host, port);
    } else {
        snprintf(buf, len, "unix");
    }
}

static int listen_unix(ptls_server *s, char *err, size_t errlen)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    if (strlen(s->o->unix_path) >= sizeof sun.sun_path) {
        snprintf(err, errlen, "unix socket path too long: %s", s->o->unix_path);
        return -1;
    }
    strcpy(sun.sun_path, s->o->unix_path);
    if (s->o->unlink_unix) unlink(s->o->unix_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0 || listen(fd, 511) != 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", s->o->unix_path, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    s->listen_fd[s->n_listen++] = fd;
    printf("ACCEPT %s\n", s->o->unix_path);
    ptls_event_listening(s->o->unix_path, s->be->name, s->be->library_version());
    return 0;
}

static int listen_tcp(ptls_server *s, char *err, size_t errlen)
{
    const ptls_server_opts *o = s->o;
    int udp = o->tls.dtls;
    struct addrinfo hints = {.ai_socktype = udp ? SOCK_DGRAM : SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV},
                    *res = NULL;
    hints.ai_family = o->family;
    /* No host: one dual-stack IPv6 socket when possible, as s_server does. */
    const char *host = o->host[0] ? o->host : NULL;
    if (!host && o->family == AF_UNSPEC) hints.ai_family = AF_INET6;
    int gai = getaddrinfo(host, o->port, &hints, &res);
    if (gai != 0 && !host && o->family == AF_UNSPEC) {
        hints.ai_family = AF_INET;
        gai = getaddrinfo(NULL, o->port, &hints, &res);
    }
    if (gai != 0) {
        snprintf(err, errlen, "cannot resolve %s:%s: %s", host ? host : "*", o->port, gai_strerror(gai));
        return -1;
    }
    int fd = -1, saved = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        int one = 1, zero = 0;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        /* Only with -workers: otherwise a second server on a taken port
         * must fail to bind, not silently share it. */
        if (o->workers > 1) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
        if (ai->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, o->family == AF_INET6 ? &one : &zero, sizeof one);
        if (o->tfo && !udp) {
            int qlen = 64;
            if (setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN, &qlen, sizeof qlen) != 0) {
                snprintf(err, errlen, "-tfo: cannot enable TCP Fast Open: %s", strerror(errno));
                close(fd);
                freeaddrinfo(res);
                return -1;
            }
        }
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && (udp || listen(fd, 511) == 0)) break;
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        snprintf(err, errlen, "cannot listen on %s:%s: %s", host ? host : "*", o->port, strerror(saved));
        return -1;
    }
    if (udp)
        s->udp_fd = fd; /* DTLS: one socket for every peer */
    else
        s->listen_fd[s->n_listen++] = fd;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char where[128];
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    format_sockaddr((struct sockaddr *)&ss, where, sizeof where);
    printf("ACCEPT %s\n", where);
    ptls_event_listening(where, s->be->name, s->be->library_version());
    return 0;
}

static void set_listen_interest(ptls_server *s, uint32_t ev)
{
    for (int i = 0; i < s->n_listen; i++) {
        struct epoll_event e = {.events = ev, .data.u64 = (uint64_t)(TAG_LISTEN0 + i)};
        epoll_ctl(s->epfd, EPOLL_CTL_MOD, s->listen_fd[i], &e);
    }
}

static void stop_listening(ptls_server *s)
{
    for (int i = 0; i < s->n_listen; i++) {
        epoll_ctl(s->epfd, EPOLL_CTL_DEL, s->listen_fd[i], NULL);
        close(s->listen_fd[i]);
    }
    s->n_listen = 0;
    s->listening = 0;
}

static void accept_all(ptls_server *s, int lfd)
{
    while (s->listening) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                /* Level-triggered accept would spin: pause it for a second. */
                fprintf(stderr, "polytls: accept: %s; pausing new connections for 1s\n", strerror(errno));
                s->accept_paused_until_ms = ptls_now_ms() + 1000;
                set_listen_interest(s, 0);
            }
            return;
        }
        char peer[96];
        if (ss.ss_family == AF_UNIX)
            snprintf(peer, sizeof peer, "unix:%s", s->o->unix_path);
        else
            format_sockaddr((struct sockaddr *)&ss, peer, sizeof peer);
        s->stats.accepts++;
        if (s->n_conns >= s->o->max_conns) {
            s->stats.rejected++;
            if (!s->o->quiet)
                fprintf(stderr, "polytls: %s: -max_conns %d reached, closing\n", peer, s->o->max_conns);
            ptls_event_limit(0, peer, "max_conns", s->o->max_conns);
            close(fd);
        } else {
            if (ss.ss_family != AF_UNIX) {
                int one = 1;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            }
            /* Driven when the client sends its first bytes (epoll). */
            if (!ptls_conn_new(s, fd, peer)) close(fd);
        }
        if (s->o->naccept > 0 && s->stats.accepts >= s->o->naccept) stop_listening(s);
    }
}

/* DTLS: datagrams to their connection by source address; a source without
 * one goes to the backend's stateless cookie exchange. */
static void read_udp(ptls_server *s)
{
    unsigned char buf[65536];
    for (int i = 0; i < 256; i++) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        ssize_t n = recvfrom(s->udp_fd, buf, sizeof buf, 0, (struct sockaddr *)&ss, &sl);
        if (n < 0) return; /* EAGAIN: drained */
        ptls_conn *c = s->conns;
        for (; c; c = c->next)
            if (c->dtls && c->peer_addr_len == sl && memcmp(&c->peer_addr, &ss, sl) == 0) break;
        if (c) {
            c->t_last_ms = ptls_now_ms();
            if (ptls_conn_push_dgram(c, buf, (size_t)n) == 0) ptls_conn_kick(c);
            continue;
        }
        if (!s->listening) continue;
        char peer[96];
        format_sockaddr((struct sockaddr *)&ss, peer, sizeof peer);
        if (s->n_conns >= s->o->max_conns) {
            s->stats.rejected++;
            ptls_event_limit(0, peer, "max_conns", s->o->max_conns);
            continue;
        }
        c = ptls_conn_dtls_accept(s, (struct sockaddr *)&ss, sl, peer, buf, (size_t)n);
        if (c) {
            ptls_conn_kick(c);
            if (s->o->naccept > 0 && s->stats.accepts >= s->o->naccept) s->listening = 0;
        }
    }
}

static void stdin_line(ptls_server *s, const char *line, size_t n)
{
    if (s->mode->on_stdin_line) s->mode->on_stdin_line(s, line, n);
}

static void read_stdin(ptls_server *s)
{
    char buf[4096];
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
        /* EOF ends the interactive session only: the server goes on serving
         * (unlike s_server), unless -no_ign_eof asked for s_server's exit. */
        epoll_ctl(s->epfd, EPOLL_CTL_DEL, 0, NULL);
        s->stdin_watched = 0;
        if (ptls_buf_size(&s->stdin_buf))
            stdin_line(s, (char *)ptls_buf_head(&s->stdin_buf), ptls_buf_size(&s->stdin_buf));
        ptls_buf_free(&s->stdin_buf);
        if (s->o->no_ign_eof) s->stop = 1;
        return;
    }
    ptls_buf_append(&s->stdin_buf, buf, (size_t)n);
    for (;;) {
        unsigned char *head = ptls_buf_head(&s->stdin_buf);
        unsigned char *nl = memchr(head, '\n', ptls_buf_size(&s->stdin_buf));
        if (!nl) break;
        size_t len = (size_t)(nl - head) + 1;
        stdin_line(s, (char *)head, len);
        ptls_buf_consume(&s->stdin_buf, len);
    }
}

static void watch_stdin(ptls_server *s)
{
    int fl = fcntl(0, F_GETFL);
    if (fl < 0) return;
    struct epoll_event e = {.events = EPOLLIN, .data.u64 = TAG_STDIN};
    /* /dev/null and regular files cannot be polled (EPERM): they hold no
     * interactive commands, so they are treated as an ended session. */
    if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, 0, &e) != 0) {
        if (s->o->no_ign_eof) s->stop = 1;
        return;
    }
    fcntl(0, F_SETFL, fl | O_NONBLOCK);
    s->stdin_watched = 1;
}

/* -workers N: N processes, each with its own socket bound to the same
 * address with SO_REUSEPORT, so the kernel spreads new connections; the
 * parent is worker 0 and stops the others when it ends. The TLS server
 * context was built before the fork, so every worker has the same ticket
 * keys (tickets resume on any worker); session-ID caches are per worker. */
static int spawn_workers(ptls_server *s, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    if (getsockname(s->listen_fd[0], (struct sockaddr *)&ss, &sl) != 0) {
        snprintf(err, errlen, "getsockname: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    for (int i = 1; i < s->o->workers; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            snprintf(err, errlen, "fork for worker %d: %s", i, strerror(errno));
            return -1;
        }
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            s->n_workers = 0;
            int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            int one = 1, zero = 0;
            if (fd >= 0) {
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
                setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
                if (ss.ss_family == AF_INET6)
                    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, s->o->family == AF_INET6 ? &one : &zero,
                               sizeof one);
            }
            if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 511) != 0) {
                fprintf(stderr, "polytls: worker %d cannot listen: %s\n", i, strerror(errno));
                _exit(PTLS_EXIT_RUNTIME);
            }
            close(s->listen_fd[0]);
            s->listen_fd[0] = fd;
            return 0;
        }
        s->worker_pids[s->n_workers++] = pid;
    }
    return 0;
}

static void stop_workers(ptls_server *s)
{
    for (int i = 0; i < s->n_workers; i++)
        kill(s->worker_pids[i], SIGTERM);
    for (int i = 0; i < s->n_workers; i++) {
        int st;
        while (waitpid(s->worker_pids[i], &st, 0) < 0 && errno == EINTR) {
        }
    }
    s->n_workers = 0;
}

static void free_everything(ptls_server *s)
{
    stop_workers(s);
    while (s->conns)
        ptls_conn_abort(s->conns);
    ptls_conn_reap(s);
    stop_listening(s);
    if (s->udp_fd >= 0) close(s->udp_fd);
    s->udp_fd = -1;
    if (s->tls_server) s->be->server_free(s->tls_server);
    if (s->be->global_cleanup) s->be->global_cleanup();
    ptls_host_close();
    ptls_events_close();
    if (s->msg_out && s->msg_out != stdout) fclose(s->msg_out);
    s->msg_out = NULL;
    ptls_buf_free(&s->stdin_buf);
    if (s->epfd >= 0) close(s->epfd);
}

int ptls_server_run(ptls_server_opts *o, const ptls_backend *be, const ptls_mode_ops *mode)
{
    ptls_server srv = {.o = o, .be = be, .mode = mode, .epfd = -1, .listening = 1, .udp_fd = -1};
    ptls_server *s = &srv;
    char err[1024] = "";
    int rc = PTLS_EXIT_RUNTIME;

    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    if (ptls_host_open(o, ptls_conn_hello_view, err, sizeof err) != 0) goto fail;
    if (o->json && ptls_events_open(o->json, err, sizeof err) != 0) goto fail;
    s->msg_out = stdout;
    if (o->msgfile) {
        s->msg_out = fopen(o->msgfile, "a");
        if (!s->msg_out) {
            snprintf(err, sizeof err, "cannot open -msgfile %s: %s", o->msgfile, strerror(errno));
            s->msg_out = stdout;
            goto fail;
        }
    }

    ptls_ephemeral_cert eph = {0};
    if (ptls_credentials_prepare(o, be, &eph, err, sizeof err) != 0) goto fail;
    s->tls_server = be->server_new(&o->tls, err, sizeof err);
    ptls_credentials_cleanup(o, &eph);
    if (!s->tls_server) goto fail;

    if (o->mode == MODE_WWW_FILES || o->mode == MODE_HTTP) {
        if (!realpath(".", s->www_root)) {
            snprintf(err, sizeof err, "cannot resolve the current directory: %s", strerror(errno));
            goto fail;
        }
    }

    if ((o->unix_path ? listen_unix(s, err, sizeof err) : listen_tcp(s, err, sizeof err)) != 0) goto fail;
    fflush(stdout);
    if (o->workers > 1 && spawn_workers(s, err, sizeof err) != 0) goto fail;
    /* One epoll set per process (after the fork: an epoll instance must not
     * be shared between workers). */
    s->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (s->epfd < 0) {
        snprintf(err, sizeof err, "epoll_create1: %s", strerror(errno));
        goto fail;
    }
    for (int i = 0; i < s->n_listen; i++) {
        struct epoll_event e = {.events = EPOLLIN, .data.u64 = (uint64_t)(TAG_LISTEN0 + i)};
        epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->listen_fd[i], &e);
    }
    if (s->udp_fd >= 0) {
        struct epoll_event e = {.events = EPOLLIN, .data.u64 = TAG_UDP};
        epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->udp_fd, &e);
    }
    watch_stdin(s);

    int64_t last_tick = ptls_now_ms();
    while (!s->stop && !got_signal) {
        struct epoll_event evs[256];
        int n = epoll_wait(s->epfd, evs, 256, s->udp_fd >= 0 ? ptls_conn_dtls_next_timeout(s, 1000) : 1000);
        if (n < 0 && errno != EINTR) {
            snprintf(err, sizeof err, "epoll_wait: %s", strerror(errno));
            goto fail;
        }
        for (int i = 0; i < n && !s->stop; i++) {
            uint64_t tag = evs[i].data.u64;
            if (tag == TAG_LISTEN0 || tag == TAG_LISTEN1) {
                if (s->listening && (int)(tag - TAG_LISTEN0) < s->n_listen)
                    accept_all(s, s->listen_fd[tag - TAG_LISTEN0]);
            } else if (tag == TAG_STDIN) {
                read_stdin(s);
            } else if (tag == TAG_UDP) {
                read_udp(s);
            } else {
                ptls_conn_event(evs[i].data.ptr, evs[i].events);
            }
        }
        if (s->udp_fd >= 0) ptls_conn_dtls_timers(s);
        ptls_conn_reap(s);
        int64_t now = ptls_now_ms();
        if (now - last_tick >= 1000) {
            last_tick = now;
            ptls_conn_timers(s, now);
            ptls_conn_reap(s);
            /* After a burst of connections has gone, give the memory back:
             * a test server's RSS should return to its baseline. */
            if (s->closed_since_trim >= 16 && s->n_conns < 16) {
                malloc_trim(0);
                s->closed_since_trim = 0;
            }
            if (s->accept_paused_until_ms && now >= s->accept_paused_until_ms) {
                s->accept_paused_until_ms = 0;
                set_listen_interest(s, EPOLLIN);
            }
        }
        fflush(stdout);
        if (s->draining && s->listening) stop_listening(s);
        if (!s->listening && s->n_conns == 0) break; /* -naccept reached and served, or Q */
        if (s->draining && s->udp_fd >= 0) s->listening = 0;
    }
    rc = s->exit_code;
    free_everything(s);
    fflush(stdout);
    return rc;
fail:
    fprintf(stderr, "polytls: %s\n", err);
    free_everything(s);
    return PTLS_EXIT_RUNTIME;
}
