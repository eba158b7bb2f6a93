package dev.litefs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.bench.TargetTable.Target;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TargetTableTest {
  @Test
  void anUpperBoundIsMetAtAndBelowItsLimit() {
    Target t = Target.atMost(2, "ms");
    assertThat(t.text()).isEqualTo("<= 2 ms");
    assertThat(t.met(1.99)).isTrue();
    assertThat(t.met(2)).isTrue();
    assertThat(t.met(2.01)).isFalse();
  }

  @Test
  void aLowerBoundIsMetAtAndAboveItsLimit() {
    Target t = Target.atLeast(300, "MB/s");
    assertThat(t.text()).isEqualTo(">= 300 MB/s");
    assertThat(t.met(300)).isTrue();
    assertThat(t.met(299.9)).isFalse();
  }

  @Test
  void fractionalLimitsKeepTheirDecimals() {
    assertThat(Target.atMost(0.5, "ms").text()).isEqualTo("<= 0.5 ms");
  }

  @Test
  void printsAlignedColumnsAndSaysWhichTargetsAreMissed() {
    TargetTable table = new TargetTable();
    table.add("lag p50, WAL", "1.0-1.5 ms", Target.atMost(1, "ms"), 0.8, "0.80 ms");
    table.add("failover after SIGKILL, max", "11-21 s", Target.atMost(3, "s"), 3.1, "3.10 s");
    StringWriter s = new StringWriter();
    try (PrintWriter out = new PrintWriter(s)) {
      table.print(out);
    }
    assertThat(s.toString().lines()).containsExactly(
        "  measurement                  LiteFS (here)  target   result   met",
        "  lag p50, WAL                 1.0-1.5 ms     <= 1 ms  0.80 ms  yes",
        "  failover after SIGKILL, max  11-21 s        <= 3 s   3.10 s   NO");
  }
}
