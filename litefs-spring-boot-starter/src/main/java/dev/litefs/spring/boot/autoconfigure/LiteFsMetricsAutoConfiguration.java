package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Auto-configuration of LiteFS's Micrometer gauges (role, lag, TXID per database). */
@AutoConfiguration(after = LiteFsAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(LiteFs.class)
@ConditionalOnBooleanProperty(name = "litefs.enabled", matchIfMissing = true)
public final class LiteFsMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  LiteFsMetrics liteFsMetrics(LiteFs liteFs) {
    return new LiteFsMetrics(liteFs);
  }
}
