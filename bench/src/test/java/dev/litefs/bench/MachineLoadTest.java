package dev.litefs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MachineLoadTest {
  @Test
  void busyIsEverythingButIdleAndIowaitOverTheInterval() {
    MachineLoad before = MachineLoad.parse("cpu  1000 0 100 800 100 0 0 0 0 0");
    // +300 user, +100 system, +150 idle, +50 iowait: 400 of 600 ticks busy.
    MachineLoad after = MachineLoad.parse("cpu  1300 0 200 950 150 0 0 0 0 0");
    assertThat(after.coresBusySince(before, 2)).isEqualTo(400.0 / 600 * 2);
  }

  @Test
  void guestColumnsAreNotCountedTwice() {
    MachineLoad before = MachineLoad.parse("cpu 0 0 0 0 0 0 0 0 0 0");
    MachineLoad after = MachineLoad.parse("cpu 50 0 0 50 0 0 0 0 40 0");
    assertThat(after.coresBusySince(before, 1)).isEqualTo(0.5);
  }

  @Test
  void noTimePassedIsNotANumber() {
    MachineLoad m = MachineLoad.parse("cpu 1 2 3 4 5 6 7 8");
    assertThat(m.coresBusySince(m, 2)).isNaN();
  }

  @Test
  void rejectsAPerCpuLine() {
    assertThatThrownBy(() -> MachineLoad.parse("cpu0 1 2 3 4")).hasMessageContaining("aggregate");
  }
}
