package dev.litefs.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FlyReplayTest {
  @Test
  void parsesWhatTheStarterSends() {
    FlyReplay replay = FlyReplay.parse("instance=148e21ea7e6089;state=primary-only;timeout=5s;fallback=prefer_self");

    assertThat(replay.instance()).hasValue("148e21ea7e6089");
    assertThat(replay.state()).hasValue("primary-only");
    assertThat(replay.timeout()).hasValue(Duration.ofSeconds(5));
    assertThat(replay.fallback()).isEqualTo(FlyReplay.Fallback.PREFER_SELF);
    assertThat(replay.regions()).isEmpty();
    assertThat(replay.elsewhere()).isFalse();
  }

  @Test
  void parsesAQuotedRegionListAndTheOtherFields() {
    FlyReplay replay = FlyReplay.parse(" region=\"iad, ord,any\" ; elsewhere=true;prefer_instance=m1;app=my-app;"
        + "timeout=800ms;fallback=force_self;");

    assertThat(replay.regions()).isEqualTo(List.of("iad", "ord", "any"));
    assertThat(replay.elsewhere()).isTrue();
    assertThat(replay.preferInstance()).hasValue("m1");
    assertThat(replay.app()).isEqualTo(Optional.of("my-app"));
    assertThat(replay.timeout()).hasValue(Duration.ofMillis(800));
    assertThat(replay.fallback()).isEqualTo(FlyReplay.Fallback.FORCE_SELF);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|it is empty",
      "instance|a field is not name=value",
      "instance=a;instance=b|a field appears twice",
      "region=\"iad,ord|a quote is not closed",
      "instance=a b|its instance field is malformed",
      "region=ORD|its region field is malformed",
      "region=iad,,ord|its region field is malformed",
      "state=\"a;b\"|its state field is malformed",
      "elsewhere=yes|its elsewhere field is neither true nor false",
      "timeout=5|its timeout field is not a duration such as 800ms, 5s or 1m",
      "fallback=somewhere|its fallback field is neither prefer_self nor force_self"})
  void saysWhichFieldIsWrong(String header, String problem) {
    assertThatThrownBy(() -> FlyReplay.parse(header)).isInstanceOf(IllegalArgumentException.class).hasMessage(problem);
  }
}
