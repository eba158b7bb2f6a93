package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.spring.LiteFs;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** Every DataSource, the application's own included, is created after the LiteFS bean and closed before it. */
class DataSourceDependsOnLiteFsTests {
  @TempDir
  Path tmp;

  @Test
  void theApplicationsOwnDataSourceIsCreatedOnlyAfterTheLiteFsBean() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LiteFsAutoConfiguration.class))
        .withUserConfiguration(OwnDataSource.class)
        .withPropertyValues("litefs.mode=dev", "litefs.dev.dir=" + tmp, "litefs.databases=app.db")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(OwnDataSource.class).liteFsExisted).isTrue();
          assertThat(context.getBeanFactory().getBeanDefinition("dataSource").getDependsOn()).contains("liteFs");
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnDataSource {
    final AtomicBoolean liteFsExisted = new AtomicBoolean();

    @Bean
    DataSource dataSource(org.springframework.beans.factory.config.ConfigurableListableBeanFactory beanFactory) {
      // Asked without going through the dependency: was the LiteFS bean already made?
      liteFsExisted.set(beanFactory.containsSingleton("liteFs")
          && beanFactory.getBean("liteFs") instanceof LiteFs);
      return new SimpleDriverDataSource(new org.sqlite.JDBC(), "jdbc:sqlite::memory:");
    }
  }
}
