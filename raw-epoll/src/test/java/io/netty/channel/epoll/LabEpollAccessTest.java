package io.netty.channel.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.unix.FileDescriptor;
import io.netty.util.Version;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pins down what the kernel engine needs from Netty's package-private epoll API, through the one class that uses
 * it. If a Netty upgrade renames, removes or changes any of it, this fails (or the module stops compiling) before
 * the engine can misbehave.
 */
class LabEpollAccessTest {
    private static final int EPOLLONESHOT = 1 << 30;

    private FileDescriptor epoll;
    private EpollEventArray events;

    @BeforeEach
    void setUp() {
        Epoll.ensureAvailability();
        epoll = Native.newEpollCreate();
        events = LabEpollAccess.newEventArray(4);
    }

    @AfterEach
    void tearDown() throws IOException {
        LabEpollAccess.free(events);
        epoll.close();
    }

    @Test
    void isBuiltAgainstTheNettyVersionTheEngineWasWrittenFor() {
        // Not a guard by itself (the tests below are), but it names the cause when they fail after an upgrade.
        assertThat(Version.identify().get("netty-transport-classes-epoll").artifactVersion())
                .startsWith("4.1.");
        assertThat(LabEpollAccess.length(events)).isEqualTo(4);
    }

    @Test
    void epollConstantsAreTheLinuxValuesTheEngineAndTestsAssume() {
        assertThat(Native.EPOLLIN).isEqualTo(0x001);
        assertThat(Native.EPOLLOUT).isEqualTo(0x004);
        assertThat(Native.EPOLLERR).isEqualTo(0x008);
        assertThat(Native.EPOLLRDHUP).isEqualTo(0x2000);
        assertThat(Native.EPOLLET).isEqualTo(0x80000000);
    }

    @Test
    void waitReturnsTheReadyFdAndItsEvents() throws IOException {
        FileDescriptor eventFd = Native.newEventFd();
        try {
            Native.epollCtlAdd(epoll.intValue(), eventFd.intValue(), Native.EPOLLIN);
            assertThat(LabEpollAccess.epollWait(epoll, events, 0))
                    .as("nothing ready yet")
                    .isZero();

            Native.eventFdWrite(eventFd.intValue(), 1L);
            assertThat(LabEpollAccess.epollWait(epoll, events, 1000)).isEqualTo(1);
            assertThat(LabEpollAccess.fd(events, 0)).isEqualTo(eventFd.intValue());
            assertThat(LabEpollAccess.events(events, 0) & Native.EPOLLIN).isEqualTo(Native.EPOLLIN);
        } finally {
            eventFd.close();
        }
    }

    @Test
    void oneshotReportsOnceUntilReArmedWithMod() throws IOException {
        FileDescriptor eventFd = Native.newEventFd();
        try {
            Native.epollCtlAdd(epoll.intValue(), eventFd.intValue(), Native.EPOLLIN | EPOLLONESHOT);
            Native.eventFdWrite(eventFd.intValue(), 1L);
            assertThat(LabEpollAccess.epollWait(epoll, events, 1000)).isEqualTo(1);
            // Still readable (never read), but disarmed by the delivery itself.
            assertThat(LabEpollAccess.epollWait(epoll, events, 0)).isZero();
            Native.epollCtlMod(epoll.intValue(), eventFd.intValue(), Native.EPOLLIN | EPOLLONESHOT);
            assertThat(LabEpollAccess.epollWait(epoll, events, 1000))
                    .as("re-armed and still readable")
                    .isEqualTo(1);
        } finally {
            eventFd.close();
        }
    }

    @Test
    void waitingArmsTheTimerfdWhichThenReportsInTheSameSet() throws IOException {
        FileDescriptor timerFd = Native.newTimerFd();
        try {
            Native.epollCtlAdd(epoll.intValue(), timerFd.intValue(), Native.EPOLLIN | EPOLLONESHOT);
            long start = System.nanoTime();
            int ready = LabEpollAccess.epollWaitArmingTimer(epoll, events, timerFd, TimeUnit.MILLISECONDS.toNanos(50));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(ready).isEqualTo(1);
            assertThat(LabEpollAccess.fd(events, 0)).isEqualTo(timerFd.intValue());
            assertThat(waitedMillis).as("blocked until the timer expired").isGreaterThanOrEqualTo(45);
        } finally {
            timerFd.close();
        }
    }
}
