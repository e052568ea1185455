/*
 * echo_client: a small, independent, closed-loop TCP echo load client.
 *
 * It is a yardstick for the lab's Java benchmark harness, not part of the lab's measurements: run it against
 * the same server the harness measures and compare the two throughputs.
 *
 * One thread, one epoll instance (level-triggered), N non-blocking TCP connections with TCP_NODELAY. Every
 * connection has exactly one request in flight: write PAYLOAD bytes, read until all of them came back
 * (checking each byte), record the round trip (CLOCK_MONOTONIC), write the next one. After --warmup seconds
 * it counts completed echoes for --seconds, keeps their round trips in a log-linear histogram (relative
 * error below 1%), and measures its own CPU time (getrusage). Then it sends nothing more, waits up to 1 s for
 * the echoes still in flight (so closing does not reset connections), prints one line of key=value pairs on
 * stdout and exits.
 *
 * Build: gcc -O2 -Wall -Wextra -o echo_client echo_client.c      (C11, Linux only)
 * Exit:  0 done, 1 connection/echo failure (or no echo at all in the measured window), 2 bad options.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h> /* isfinite: a macro, no libm needed */
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 100000
#define MAX_PAYLOAD (64L * 1024 * 1024)
#define MAX_SECONDS 86400.0
#define CONNECT_TIMEOUT_MS 5000
#define PATTERN_PERIOD 26

/* ---- errors ------------------------------------------------------------------------------------------ */

static void die(int code, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

static void die(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("echo_client: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(code);
}

/* ---- time -------------------------------------------------------------------------------------------- */

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t cpu_ns(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000
            + ((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

/* ---- log-linear histogram of nanoseconds -------------------------------------------------------------- */
/* Values below 128 get a bucket each; above, each power of two is split into 64 equal buckets, so a bucket
 * is at most 1/64 of its lower bound wide and its midpoint is within 0.8% of any value in it. */

#define SUB_BITS 6
#define SUB_COUNT (1 << SUB_BITS) /* 64 */
#define HIST_BUCKETS ((64 - SUB_BITS) * SUB_COUNT + SUB_COUNT)

static uint64_t hist[HIST_BUCKETS];
static uint64_t hist_count;
static uint64_t hist_max;

static int bucket_of(uint64_t v) {
    if (v < 2 * SUB_COUNT) {
        return (int)v;
    }
    int msb = 63 - __builtin_clzll(v);
    int shift = msb - SUB_BITS;
    return (shift + 1) * SUB_COUNT + (int)((v >> shift) - SUB_COUNT);
}

static double bucket_mid(int b) {
    if (b < 2 * SUB_COUNT) {
        return b;
    }
    int shift = b / SUB_COUNT - 1;
    uint64_t sub = (uint64_t)(b % SUB_COUNT) + SUB_COUNT;
    double lower = (double)(sub << shift);
    return lower + (double)((uint64_t)1 << shift) / 2.0;
}

static void hist_record(int64_t ns) {
    uint64_t v = ns < 0 ? 0 : (uint64_t)ns;
    hist[bucket_of(v)]++;
    hist_count++;
    if (v > hist_max) {
        hist_max = v;
    }
}

/* The smallest recorded value v such that at least q of all values are <= v (bucket midpoint, capped at the
 * exact maximum). */
static double hist_quantile_ns(double q) {
    if (hist_count == 0) {
        return 0;
    }
    double exact = q * (double)hist_count;
    uint64_t rank = (uint64_t)exact;
    if ((double)rank < exact) {
        rank++; /* ceil without libm */
    }
    if (rank < 1) {
        rank = 1;
    }
    uint64_t seen = 0;
    for (int b = 0; b < HIST_BUCKETS; b++) {
        seen += hist[b];
        if (seen >= rank) {
            double mid = bucket_mid(b);
            return mid > (double)hist_max ? (double)hist_max : mid;
        }
    }
    return (double)hist_max;
}

/* ---- options ----------------------------------------------------------------------------------------- */

struct options {
    const char *host;
    const char *port;
    long clients;
    long payload;
    double warmup;
    double seconds;
    const char *cpus;
};

static void usage(FILE *out) {
    fputs("usage: echo_client --port PORT [options]\n"
          "Closed-loop TCP echo load client: N connections, one request in flight on each.\n"
          "  --host HOST        server address (default 127.0.0.1)\n"
          "  --port PORT        server port (required)\n"
          "  --clients N        connections (default 50)\n"
          "  --payload BYTES    bytes per request (default 512)\n"
          "  --warmup SECONDS   run before measuring (default 2)\n"
          "  --seconds SECONDS  measured time (default 5)\n"
          "  --cpus LIST        pin the client to these CPUs, e.g. 0 or 0-1,3\n"
          "  --help             this text\n"
          "stdout: one line, echoes_per_s= p50_us= p99_us= p999_us= client_cpu_cores= client_cpu_us_per_echo=\n"
          "        clients= payload= seconds= echoes= max_us=\n",
          out);
}

static long parse_long(const char *name, const char *s, long min, long max) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
        die(2, "--%s must be an integer from %ld to %ld, got '%s'", name, min, max, s);
    }
    return v;
}

static double parse_seconds(const char *name, const char *s, double min) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < min || v > MAX_SECONDS) {
        die(2, "--%s must be a number of seconds from %g to %g, got '%s'", name, min, MAX_SECONDS, s);
    }
    return v;
}

/* "0", "0-1,3": CPU numbers and inclusive ranges, comma-separated. */
static void parse_cpus(const char *list, cpu_set_t *set) {
    CPU_ZERO(set);
    const char *p = list;
    if (*p == '\0') {
        die(2, "--cpus must be a list like 0 or 0-1,3, got ''");
    }
    while (*p != '\0') {
        char *end;
        errno = 0;
        long a = strtol(p, &end, 10);
        long b = a;
        if (end == p || errno != 0 || *p == '-' || *p == '+' || *p == ' ') {
            die(2, "--cpus must be a list like 0 or 0-1,3, got '%s'", list);
        }
        p = end;
        if (*p == '-') {
            p++;
            errno = 0;
            b = strtol(p, &end, 10);
            if (end == p || errno != 0 || *p == '-' || *p == '+' || *p == ' ') {
                die(2, "--cpus must be a list like 0 or 0-1,3, got '%s'", list);
            }
            p = end;
        }
        if (a < 0 || b < a || b >= CPU_SETSIZE) {
            die(2, "--cpus has a bad range in '%s' (CPUs are 0 to %d)", list, CPU_SETSIZE - 1);
        }
        for (long c = a; c <= b; c++) {
            CPU_SET((int)c, set);
        }
        if (*p == ',') {
            p++;
            if (*p == '\0') {
                die(2, "--cpus must be a list like 0 or 0-1,3, got '%s'", list);
            }
        } else if (*p != '\0') {
            die(2, "--cpus must be a list like 0 or 0-1,3, got '%s'", list);
        }
    }
}

static void parse_options(int argc, char **argv, struct options *o) {
    static const struct option longopts[] = {
        {"host", required_argument, NULL, 'H'},
        {"port", required_argument, NULL, 'p'},
        {"clients", required_argument, NULL, 'c'},
        {"payload", required_argument, NULL, 's'},
        {"warmup", required_argument, NULL, 'w'},
        {"seconds", required_argument, NULL, 'd'},
        {"cpus", required_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    o->host = "127.0.0.1";
    o->port = NULL;
    o->clients = 50;
    o->payload = 512;
    o->warmup = 2;
    o->seconds = 5;
    o->cpus = NULL;

    opterr = 0; /* our own one-line messages instead of getopt's */
    int opt;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (opt) {
        case 'H':
            if (optarg[0] == '\0') {
                die(2, "--host must not be empty");
            }
            o->host = optarg;
            break;
        case 'p':
            parse_long("port", optarg, 1, 65535);
            o->port = optarg;
            break;
        case 'c':
            o->clients = parse_long("clients", optarg, 1, MAX_CLIENTS);
            break;
        case 's':
            o->payload = parse_long("payload", optarg, 1, MAX_PAYLOAD);
            break;
        case 'w':
            o->warmup = parse_seconds("warmup", optarg, 0);
            break;
        case 'd':
            o->seconds = parse_seconds("seconds", optarg, 0.001);
            break;
        case 'C':
            o->cpus = optarg;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case ':':
            die(2, "option '%s' needs a value (try --help)", argv[optind - 1]);
        default:
            die(2, "unknown option '%s' (try --help)", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        die(2, "unexpected argument '%s' (try --help)", argv[optind]);
    }
    if (o->port == NULL) {
        die(2, "--port is required (try --help)");
    }
}

/* ---- connections ------------------------------------------------------------------------------------- */

struct conn {
    int fd;
    int shift;        /* this request's pattern starts at pattern[shift] */
    long sent;        /* bytes of this request written so far */
    long received;    /* bytes of its echo read so far */
    int want_out;     /* EPOLLOUT registered */
    int64_t start_ns; /* when the request's first byte was handed to the kernel */
};

static struct options opt;
static char *pattern;   /* payload + PATTERN_PERIOD bytes of 'a'..'z' repeating */
static char *readbuf;   /* payload bytes */
static int epfd;
static long in_flight; /* connections with a request not yet fully echoed */

static const char *peer_name;

static void conn_fail(const char *what, int err) __attribute__((noreturn));

static void conn_fail(const char *what, int err) {
    die(1, "connection to %s: %s: %s", peer_name, what, err ? strerror(err) : "closed by the server");
}

static void set_interest(struct conn *c, int want_out) {
    if (c->want_out == want_out) {
        return;
    }
    struct epoll_event ev = {.events = EPOLLIN | (want_out ? EPOLLOUT : 0), .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) != 0) {
        die(1, "epoll_ctl: %s", strerror(errno));
    }
    c->want_out = want_out;
}

/* Write as much of the pending request as the socket takes; keep EPOLLOUT only while some is left. */
static void flush_request(struct conn *c) {
    while (c->sent < opt.payload) {
        ssize_t n = send(c->fd, pattern + c->shift + c->sent, (size_t)(opt.payload - c->sent), MSG_NOSIGNAL);
        if (n > 0) {
            c->sent += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        } else {
            conn_fail("write", n < 0 ? errno : 0);
        }
    }
    set_interest(c, c->sent < opt.payload);
}

static void start_request(struct conn *c, int64_t t) {
    in_flight++;
    c->shift = (c->shift + 1) % PATTERN_PERIOD;
    c->sent = 0;
    c->received = 0;
    c->start_ns = t;
    flush_request(c);
}

static int connect_one(const struct addrinfo *ai) {
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
        die(1, "socket: %s", strerror(errno));
    }
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        if (errno != EINPROGRESS) {
            die(1, "cannot connect to %s: %s", peer_name, strerror(errno));
        }
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        int r;
        do {
            r = poll(&pfd, 1, CONNECT_TIMEOUT_MS);
        } while (r < 0 && errno == EINTR);
        if (r == 0) {
            die(1, "cannot connect to %s: timed out after %d ms", peer_name, CONNECT_TIMEOUT_MS);
        }
        int err = 0;
        socklen_t len = sizeof err;
        if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
            die(1, "cannot connect to %s: %s", peer_name, strerror(errno));
        }
        if (err != 0) {
            die(1, "cannot connect to %s: %s", peer_name, strerror(err));
        }
    }
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) {
        die(1, "setsockopt TCP_NODELAY: %s", strerror(errno));
    }
    return fd;
}

static void raise_fd_limit(long needed) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (rlim_t)needed > rl.rlim_cur) {
        rl.rlim_cur = (rl.rlim_max == RLIM_INFINITY || (rlim_t)needed < rl.rlim_max) ? (rlim_t)needed
                                                                                         : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl); /* best effort: socket() reports EMFILE otherwise */
    }
}

/* ---- main loop --------------------------------------------------------------------------------------- */

int main(int argc, char **argv) {
    parse_options(argc, argv, &opt);

    if (opt.cpus != NULL) {
        cpu_set_t set;
        parse_cpus(opt.cpus, &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) {
            die(2, "--cpus %s: sched_setaffinity: %s", opt.cpus, strerror(errno));
        }
    }

    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *ai;
    int gai = getaddrinfo(opt.host, opt.port, &hints, &ai);
    if (gai != 0) {
        die(1, "cannot resolve %s: %s", opt.host, gai_strerror(gai));
    }
    static char name[512];
    snprintf(name, sizeof name, "%s:%s", opt.host, opt.port);
    peer_name = name;

    pattern = malloc((size_t)opt.payload + PATTERN_PERIOD);
    readbuf = malloc((size_t)opt.payload);
    struct conn *conns = calloc((size_t)opt.clients, sizeof *conns);
    struct epoll_event *events = calloc((size_t)opt.clients, sizeof *events);
    if (pattern == NULL || readbuf == NULL || conns == NULL || events == NULL) {
        die(1, "out of memory");
    }
    for (long i = 0; i < opt.payload + PATTERN_PERIOD; i++) {
        pattern[i] = (char)('a' + i % PATTERN_PERIOD);
    }

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
        die(1, "epoll_create1: %s", strerror(errno));
    }
    raise_fd_limit(opt.clients + 16);
    for (long i = 0; i < opt.clients; i++) {
        struct conn *c = &conns[i];
        c->fd = connect_one(ai);
        c->shift = (int)(i % PATTERN_PERIOD); /* neighbours send different bytes: a mix-up is caught */
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
            die(1, "epoll_ctl: %s", strerror(errno));
        }
    }
    freeaddrinfo(ai);

    fprintf(stderr, "echo_client: clients=%ld payload=%ld B to %s: warmup %g s...\n", opt.clients, opt.payload,
            peer_name, opt.warmup);
    int64_t t_begin = now_ns();
    int64_t warmup_end = t_begin + (int64_t)(opt.warmup * 1e9);
    int64_t measure_end = 0, drain_end = 0;
    int measuring = 0, draining = 0;
    int64_t t0 = 0, cpu0 = 0, t1 = 0, cpu1 = 0;

    for (long i = 0; i < opt.clients; i++) {
        start_request(&conns[i], now_ns());
    }

    for (;;) {
        int64_t t = now_ns();
        if (!measuring && t >= warmup_end) {
            fprintf(stderr, "echo_client: measuring %g s...\n", opt.seconds);
            measuring = 1;
            cpu0 = cpu_ns();
            t0 = now_ns();
            measure_end = t0 + (int64_t)(opt.seconds * 1e9);
            t = t0;
        }
        if (measuring && !draining && t >= measure_end) {
            /* Stop measuring; send nothing more, but let the echoes in flight come back (for up to 1 s) so
             * that closing does not reset connections with unread data and count as errors on the server. */
            cpu1 = cpu_ns();
            t1 = now_ns();
            draining = 1;
            drain_end = t1 + 1000000000;
        }
        if (draining && (in_flight == 0 || t >= drain_end)) {
            break;
        }
        int64_t deadline = draining ? drain_end : measuring ? measure_end : warmup_end;
        int timeout_ms = (int)((deadline - t + 999999) / 1000000);
        if (timeout_ms < 1) {
            timeout_ms = 1;
        }
        int n = epoll_wait(epfd, events, (int)opt.clients, timeout_ms);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            die(1, "epoll_wait: %s", strerror(errno));
        }
        for (int e = 0; e < n; e++) {
            struct conn *c = events[e].data.ptr;
            uint32_t ev = events[e].events;
            if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
                long room = c->sent - c->received; /* never read past what we wrote: nothing else may come */
                if (room == 0) {
                    room = 1; /* only to see an unexpected byte, EOF or error */
                }
                ssize_t r = recv(c->fd, readbuf, (size_t)room, 0);
                if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
                    /* spurious */
                } else if (r <= 0) {
                    conn_fail("read", r < 0 ? errno : 0);
                } else {
                    if (c->received + r > c->sent) {
                        die(1, "connection to %s: echo mismatch: got more bytes than were sent", peer_name);
                    }
                    const char *expected = pattern + c->shift + c->received;
                    if (memcmp(readbuf, expected, (size_t)r) != 0) {
                        long k = 0;
                        while (readbuf[k] == expected[k]) {
                            k++;
                        }
                        die(1, "connection to %s: echo mismatch: byte %ld of the echo is 0x%02x, sent 0x%02x",
                            peer_name, c->received + k, (unsigned char)readbuf[k], (unsigned char)expected[k]);
                    }
                    c->received += r;
                    if (c->received == opt.payload) {
                        int64_t done = now_ns();
                        if (measuring && done < measure_end) {
                            hist_record(done - c->start_ns);
                        }
                        in_flight--;
                        if (!draining) {
                            start_request(c, done);
                        }
                        continue;
                    }
                }
            }
            if ((ev & EPOLLOUT) && c->sent < opt.payload) {
                flush_request(c);
            }
        }
    }
    for (long i = 0; i < opt.clients; i++) {
        close(conns[i].fd);
    }
    close(epfd);

    double elapsed_s = (double)(measure_end - t0) / 1e9; /* echoes are counted if done in [t0, measure_end) */
    double cpu_s = (double)(cpu1 - cpu0) / 1e9;
    double cpu_cores = cpu_s / ((double)(t1 - t0) / 1e9);
    uint64_t echoes = hist_count;
    printf("echoes_per_s=%.1f p50_us=%.1f p99_us=%.1f p999_us=%.1f client_cpu_cores=%.2f "
           "client_cpu_us_per_echo=%.2f clients=%ld payload=%ld seconds=%.2f echoes=%llu max_us=%.1f\n",
           (double)echoes / elapsed_s, hist_quantile_ns(0.50) / 1e3, hist_quantile_ns(0.99) / 1e3,
           hist_quantile_ns(0.999) / 1e3, cpu_cores, echoes ? cpu_s * 1e6 / (double)echoes : 0.0,
           opt.clients, opt.payload, elapsed_s, (unsigned long long)echoes, (double)hist_max / 1e3);
    fflush(stdout);
    if (echoes == 0) {
        die(1, "no echo completed in the measured %.2f s", elapsed_s);
    }
    free(conns);
    free(events);
    free(pattern);
    free(readbuf);
    return 0;
}
