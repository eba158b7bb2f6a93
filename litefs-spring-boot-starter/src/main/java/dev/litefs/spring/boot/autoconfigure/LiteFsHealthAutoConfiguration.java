package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.LiteFsReadinessCheck;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code litefs} health contributor and of a readiness probe that waits for LiteFS
 * (first sync, lag, schema).
 */
@AutoConfiguration(after = {LiteFsAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class},
    before = {AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class})
@ConditionalOnClass(AbstractHealthIndicator.class)
@ConditionalOnBean(LiteFs.class)
@ConditionalOnBooleanProperty(name = "litefs.enabled", matchIfMissing = true)
public final class LiteFsHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  LiteFsReadiness liteFsReadiness(LiteFs liteFs, LiteFsProperties properties,
      ObjectProvider<LiteFsReadinessCheck> checks) {
    return new LiteFsReadiness(liteFs, properties.getMaxLag(), checks);
  }

  @Bean
  @ConditionalOnMissingBean(name = "litefsHealthIndicator")
  @ConditionalOnEnabledHealthIndicator("litefs")
  // Named so the contributor is "litefs": /actuator/health/litefs, management.health.litefs.enabled.
  LiteFsHealthIndicator litefsHealthIndicator(LiteFs liteFs, LiteFsReadiness readiness) {
    return new LiteFsHealthIndicator(liteFs, readiness);
  }

  @Bean
  @ConditionalOnMissingBean(name = "readinessStateHealthIndicator")
  @ConditionalOnBean(ApplicationAvailability.class)
  LiteFsReadinessStateHealthIndicator readinessStateHealthIndicator(ApplicationAvailability availability,
      LiteFsReadiness readiness) {
    return new LiteFsReadinessStateHealthIndicator(availability, readiness);
  }
}
