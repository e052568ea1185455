package lab.epoll.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CpuSetTest {
    @Test
    void readsTasksetLists() {
        assertThat(CpuSet.parse("1").size()).isEqualTo(1);
        assertThat(CpuSet.parse("2-3").size()).isEqualTo(2);
        assertThat(CpuSet.parse("0,2,4-5").size()).isEqualTo(4);
        assertThat(CpuSet.parse("0-1").overlaps(CpuSet.parse("1"))).isTrue();
        assertThat(CpuSet.parse("0").overlaps(CpuSet.parse("1"))).isFalse();
        assertThat(CpuSet.parse(CpuSet.ALL).pinned()).isFalse();
    }

    @Test
    void refusesWhatTasksetWouldRefuseWithOneLine() {
        for (String bad : new String[] {"", "x", "3-1", "-1", "1-2-3", "1,,2"}) {
            assertThatThrownBy(() -> CpuSet.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a CPU list");
        }
    }

    @Test
    void theDefaultLayoutGivesTheServerTheUpperHalfAndTheClientTheRest() {
        CpuSet[] two = CpuSet.defaultServerAndClient(2);
        assertThat(two[0].text()).isEqualTo("1");
        assertThat(two[1].text()).isEqualTo("0");
        CpuSet[] eight = CpuSet.defaultServerAndClient(8);
        assertThat(eight[0].text()).isEqualTo("4-7");
        assertThat(eight[1].text()).isEqualTo("0-3");
        CpuSet[] one = CpuSet.defaultServerAndClient(1);
        assertThat(one[0].pinned()).isFalse();
        assertThat(one[1].pinned()).isFalse();
    }
}
