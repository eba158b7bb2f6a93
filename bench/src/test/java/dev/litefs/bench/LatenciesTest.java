package dev.litefs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void nearestRankPercentilesOfOneToHundred() {
    Latencies l = new Latencies(LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray());
    assertThat(l.count()).isEqualTo(100);
    assertThat(l.min()).isEqualTo(1);
    assertThat(l.percentile(50)).isEqualTo(50);
    assertThat(l.percentile(90)).isEqualTo(90);
    assertThat(l.percentile(99)).isEqualTo(99);
    assertThat(l.percentile(100)).isEqualTo(100);
    assertThat(l.max()).isEqualTo(100);
  }

  @Test
  void medianOfAnOddCountIsTheMiddleValue() {
    assertThat(new Latencies(new long[] {30, 10, 20, 50, 40}).median()).isEqualTo(30);
  }

  @Test
  void medianOfAnEvenCountIsTheLowerMiddleValue() {
    assertThat(new Latencies(new long[] {4, 1, 3, 2}).median()).isEqualTo(2);
  }

  @Test
  void aSmallSamplesHighPercentilesAreItsMaximum() {
    Latencies l = new Latencies(new long[] {5, 7, 6});
    assertThat(l.percentile(99)).isEqualTo(7);
    assertThat(l.percentile(0.001)).isEqualTo(5);
  }

  @Test
  void theInputIsNotSortedInPlace() {
    long[] values = {3, 1, 2};
    new Latencies(values);
    assertThat(values).containsExactly(3, 1, 2);
  }

  @Test
  void rejectsAnEmptySampleAndPercentilesOutOfRange() {
    assertThatThrownBy(() -> new Latencies(new long[0])).hasMessageContaining("no values");
    Latencies l = new Latencies(new long[] {1});
    assertThatThrownBy(() -> l.percentile(0)).hasMessageContaining("out of (0, 100]");
    assertThatThrownBy(() -> l.percentile(100.5)).hasMessageContaining("out of (0, 100]");
  }

  @Test
  void formatsMillisecondsAndSeconds() {
    assertThat(Latencies.format(1_234_567)).isEqualTo("1.23 ms");
    assertThat(Latencies.format(123_456_789)).isEqualTo("123 ms");
    assertThat(Latencies.format(2_346_000_000L)).isEqualTo("2.35 s");
    assertThat(new Latencies(new long[] {1_000_000, 2_000_000, 30_000_000}).rangeSummary())
        .isEqualTo("1.00 ms / 2.00 ms / 30 ms");
  }
}
