package lab.epoll.jmh.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Summing async-profiler's collapsed stacks: by thread kind, kernel on top, hottest leaves. */
class StackProfileTest {

    @Test
    void sumsSamplesByThreadKindKernelLeafAndHottestFrame() {
        StackProfile p = StackProfile.parse(
                "et",
                List.of(
                        "[epoll-edge-2-1 tid=101];java.lang.Thread.run;io.netty.channel.epoll.Native.epollWait;"
                                + "__x64_sys_epoll_wait_[k] 30",
                        "[epoll-edge-2-1 tid=101];java.lang.Thread.run;__x64_sys_sendto_[k];tcp_sendmsg_[k] 40",
                        "[epoll-edge-2-1 tid=101];java.lang.Thread.run;net_rx_action_[k];tcp_sendmsg_[k] 10",
                        "[epoll-edge-2-1 tid=101];java.lang.Thread.run;io.netty.buffer.PooledByteBuf.release 10",
                        "[C2 CompilerThread0 tid=7];Compile::Compile 5",
                        "[epoll-edge-2-1 tid=101];do_syscall_64_[k];ksys_write_[k];tcp_sendmsg_[k] 5",
                        ""));

        assertThat(p.samples()).isEqualTo(100);
        assertThat(p.applicationShare()).isEqualTo(0.95);
        assertThat(p.jvmShare()).isEqualTo(0.05);
        assertThat(p.kernelShare()).isEqualTo(0.85);
        assertThat(p.hottest(2)).isEqualTo("`tcp_sendmsg` 55%, `__x64_sys_epoll_wait` 30%");
        assertThat(p.kernelBySyscall(4)).isEqualTo("sendto 40%, epoll_wait 30%, no syscall 10%, write 5%");
    }
}
