package dev.litefs.flyway;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.boot.autoconfigure.LiteFsAutoConfiguration;
import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Flyway on LiteFS: a {@link FlywayMigrationStrategy} that migrates on the primary only
 * (replicas wait for the schema), and migrates again on promotion. Backs off when the application defines its
 * own strategy.
 */
@AutoConfiguration(after = LiteFsAutoConfiguration.class, before = FlywayAutoConfiguration.class)
@ConditionalOnClass({Flyway.class, FlywayMigrationStrategy.class})
@ConditionalOnBean(LiteFs.class)
@ConditionalOnBooleanProperty(name = "litefs.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "litefs.flyway.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "spring.flyway.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LiteFsFlywayProperties.class)
public final class LiteFsFlywayAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(FlywayMigrationStrategy.class)
  LiteFsFlywayMigration liteFsFlywayMigrationStrategy(LiteFs liteFs, LiteFsFlywayProperties properties) {
    String database = properties.getDatabase();
    if (database == null || database.isBlank()) {
      if (liteFs.databases().isEmpty()) {
        throw new IllegalStateException("litefs-flyway needs a database to watch: set litefs.databases (the first "
            + "is the one Flyway migrates) or litefs.flyway.database");
      }
      database = liteFs.databases().get(0);
    }
    return new LiteFsFlywayMigration(liteFs, database, properties.getReplicaWait());
  }
}
