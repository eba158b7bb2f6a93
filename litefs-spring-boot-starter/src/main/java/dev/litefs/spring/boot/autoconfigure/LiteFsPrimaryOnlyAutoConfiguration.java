package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.context.support.AbstractApplicationContext;

/**
 * Auto-configuration of primary-only work: {@code @PrimaryOnly} on bean methods (scheduled jobs, services)
 * and on {@code SmartLifecycle} beans (listener containers, worker loops).
 */
@AutoConfiguration(after = LiteFsAutoConfiguration.class, before = LifecycleAutoConfiguration.class)
@ConditionalOnBean(LiteFs.class)
@ConditionalOnBooleanProperty(name = "litefs.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LifecycleProperties.class)
public final class LiteFsPrimaryOnlyAutoConfiguration {

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static PrimaryOnlyBeanPostProcessor liteFsPrimaryOnlyBeanPostProcessor(ObjectProvider<LiteFs> liteFs) {
    return new PrimaryOnlyBeanPostProcessor(liteFs);
  }

  @Bean(name = AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)
  @ConditionalOnMissingBean(name = AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME,
      search = SearchStrategy.CURRENT)
  PrimaryOnlyLifecycleProcessor lifecycleProcessor(LifecycleProperties properties) {
    PrimaryOnlyLifecycleProcessor processor = new PrimaryOnlyLifecycleProcessor();
    processor.setTimeoutPerShutdownPhase(properties.getTimeoutPerShutdownPhase().toMillis());
    return processor;
  }

  @Bean
  @ConditionalOnMissingBean
  PrimaryOnlyLifecycleController liteFsPrimaryOnlyLifecycleController(LiteFs liteFs,
      ConfigurableListableBeanFactory beanFactory, LiteFsProperties properties) {
    return new PrimaryOnlyLifecycleController(liteFs, beanFactory, properties.getPrimaryOnly().getStopTimeout());
  }
}
