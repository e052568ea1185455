package lab.epoll.jmh.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code -p serverNetns=NAME@ADDRESS}: what it runs the server through, and the one line a bad value gets. */
class ServerNamespaceTest {
    @Test
    void aNamespaceRunsTheServerThroughIpNetnsExecOnItsAddress() {
        ServerNamespace ns = ServerNamespace.parse("lab-srv@10.231.0.1");
        assertThat(ns.commandPrefix()).isEqualTo(List.of("ip", "netns", "exec", "lab-srv"));
        assertThat(ns.serverArgs()).isEqualTo(List.of("--host", "10.231.0.1"));
    }

    @Test
    void emptyIsHere() {
        assertThat(ServerNamespace.parse("").commandPrefix()).isEmpty();
        assertThat(ServerNamespace.parse("").serverArgs()).isEmpty();
    }

    @Test
    void aValueWithoutAnAddressIsRefusedWithTheFormItNeeds() {
        assertThatThrownBy(() -> ServerNamespace.parse("lab-srv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("serverNetns 'lab-srv' is not NAME@ADDRESS, e.g. lab-srv@10.231.0.1");
    }
}
