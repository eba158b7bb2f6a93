package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the {@link LiteFs} bean: sidecar mode on a LiteFS mount, managed mode (the engine as a
 * child process), dev mode on plain files.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "litefs.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LiteFsProperties.class)
public final class LiteFsAutoConfiguration {

  /** Every DataSource waits for the LiteFS bean (in managed mode: for the engine to be ready). */
  @Bean
  static DataSourceDependsOnLiteFs liteFsDataSourceDependsOnLiteFs() {
    return new DataSourceDependsOnLiteFs();
  }

  @Bean
  @ConditionalOnMissingBean(LiteFs.class)
  AbstractLiteFs liteFs(LiteFsProperties properties, Environment environment, ApplicationEventPublisher publisher,
      ObjectProvider<FuseSupport> fuse) {
    return LiteFsNodes.create(properties, environment, publisher, fuse.getIfAvailable(FuseSupport::system));
  }
}
