/*
 * Two ways an epoll registration outlives what its fd number says, for EpollDescriptionIT to read back from
 * /proc/PID/fdinfo/EPFD while this program is paused.
 *
 *   epoll_description dup-close   register a socket, dup it, close the original: the registration stays
 *                                 (phase "leak"); then the lab's rule, EPOLL_CTL_DEL before close (phase
 *                                 "control")
 *   epoll_description fork        an epoll fd shared across fork(): what the parent registers afterwards is
 *                                 in the child's set too
 *
 * Output is one line per fact, "PHASE KIND key=value ...", flushed at once because the test waits on it. At
 * "PHASE pause" the program waits for a line on stdin (or EOF), so the test reads /proc while the state holds.
 * Any failed call prints "error ..." on stderr and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what) {
    fprintf(stderr, "error %s: %s\n", what, strerror(errno));
    exit(1);
}

static int check(int result, const char *what) {
    if (result < 0) {
        die(what);
    }
    return result;
}

static void say(const char *format, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *format, ...) {
    va_list args;
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    putchar('\n');
    fflush(stdout);
}

/* Holds the state still until the test has read /proc; EOF counts as "go on", so a test that dies frees us. */
static void pause_for_test(const char *phase) {
    char line[64];
    say("%s pause", phase);
    if (fgets(line, sizeof line, stdin) == NULL && ferror(stdin)) {
        die("reading stdin");
    }
}

static void add(int epfd, int fd) {
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    check(epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev), "epoll_ctl ADD");
}

/* A byte queued on a unix stream socket reaches the peer's receive queue within write(), so a wait with a zero
   timeout already sees the readiness: no timing involved, and the negative control does not have to wait. */
static void make_readable(int peer) {
    if (write(peer, "x", 1) != 1) {
        die("write");
    }
}

static void report_wait(const char *phase, int epfd) {
    struct epoll_event events[8];
    int n = check(epoll_wait(epfd, events, 8, 0), "epoll_wait");
    for (int i = 0; i < n; i++) {
        say("%s event fd=%d events=0x%x", phase, events[i].data.fd, events[i].events);
    }
    say("%s waited n=%d", phase, n);
}

static const char *errno_name_of(int result) {
    if (result == 0) {
        return "OK";
    }
    return errno == EBADF ? "EBADF" : errno == ENOENT ? "ENOENT" : strerror(errno);
}

static int dup_close(void) {
    int sv[2];

    /* Leak: the registration is keyed by (fd number, open file description) and dies only with the description,
       which the duplicate keeps alive after close(original). */
    int epfd = check(epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
    check(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), "socketpair");
    add(epfd, sv[0]);
    int duplicate = check(dup(sv[0]), "dup");
    check(close(sv[0]), "close");
    say("leak fds epfd=%d closed_fd=%d dup_fd=%d peer_fd=%d", epfd, sv[0], duplicate, sv[1]);
    make_readable(sv[1]);
    report_wait("leak", epfd);
    /* Nor can it be removed now: the closed number is no fd (EBADF), the duplicate's number is not the key
       (ENOENT). Only closing the duplicate too ends it. */
    struct epoll_event ignored = {0};
    const char *by_closed = errno_name_of(epoll_ctl(epfd, EPOLL_CTL_DEL, sv[0], &ignored));
    const char *by_dup = errno_name_of(epoll_ctl(epfd, EPOLL_CTL_DEL, duplicate, &ignored));
    say("leak del closed_fd=%s dup_fd=%s", by_closed, by_dup);
    pause_for_test("leak");
    check(close(duplicate), "close");
    check(close(sv[1]), "close");
    check(close(epfd), "close");

    /* Control, the lab's rule: the same dup and close, with EPOLL_CTL_DEL first; the duplicate still holds the
       description open, so only the DEL can have removed the registration. */
    epfd = check(epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
    check(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), "socketpair");
    add(epfd, sv[0]);
    duplicate = check(dup(sv[0]), "dup");
    check(epoll_ctl(epfd, EPOLL_CTL_DEL, sv[0], &ignored), "epoll_ctl DEL");
    check(close(sv[0]), "close");
    say("control fds epfd=%d closed_fd=%d dup_fd=%d peer_fd=%d", epfd, sv[0], duplicate, sv[1]);
    make_readable(sv[1]);
    report_wait("control", epfd);
    pause_for_test("control");
    say("done");
    return 0;
}

static int fork_shared(void) {
    /* Before the fork: one epoll set, empty, and a pipe on which the parent tells the child it has registered
       (and, by closing it, that the child may exit). */
    int epfd = check(epoll_create1(0), "epoll_create1");
    int sync[2];
    check(pipe(sync), "pipe");

    pid_t child = check(fork(), "fork");
    if (child == 0) {
        /* The test kills the parent if it fails; the child must not outlive it. */
        check(prctl(PR_SET_PDEATHSIG, SIGKILL), "prctl");
        if (getppid() == 1) {
            exit(1);
        }
        /* Both fd tables are identical here and both sides take their lowest free number next, so /dev/null
           gets the number the parent's socket gets: in the child, that registration's fd is something else. */
        int devnull = check(open("/dev/null", O_RDONLY), "open");
        check(close(sync[1]), "close");
        say("child fds pid=%d epfd=%d devnull_fd=%d", getpid(), epfd, devnull);
        char go;
        if (read(sync[0], &go, 1) != 1) {
            die("read sync");
        }
        report_wait("child", epfd);
        say("child pause");
        /* Until the parent closes its end: the child's fdinfo stays readable while the test looks. */
        while (read(sync[0], &go, 1) > 0) {
        }
        _exit(0);
    }

    /* After the fork, in the parent only: a socket the child never had, registered in the shared set. */
    int sv[2];
    check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
    add(epfd, sv[0]);
    make_readable(sv[1]);
    say("parent fds epfd=%d child_pid=%d added_fd=%d peer_fd=%d", epfd, child, sv[0], sv[1]);
    if (write(sync[1], "g", 1) != 1) {
        die("write sync");
    }
    pause_for_test("parent");
    check(close(sync[1]), "close");
    int status;
    check(waitpid(child, &status, 0), "waitpid");
    say("done child_exit=%d", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    /* A write to a socket whose peer is gone should fail with a message, not kill us silently. */
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        die("signal");
    }
    if (argc == 2 && strcmp(argv[1], "dup-close") == 0) {
        return dup_close();
    }
    if (argc == 2 && strcmp(argv[1], "fork") == 0) {
        return fork_shared();
    }
    fprintf(stderr, "usage: %s dup-close|fork\n", argv[0]);
    return 2;
}
