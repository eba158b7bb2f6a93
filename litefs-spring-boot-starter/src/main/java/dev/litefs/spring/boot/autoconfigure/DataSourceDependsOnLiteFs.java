package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Makes every {@link DataSource} bean depend on the {@link LiteFs} bean, the application's own included. So a
 * DataSource is created only after the LiteFS bean has initialised (in managed mode: the engine is mounted and
 * ready; in sidecar mode: the role is known), and is closed before it (in managed mode: before the engine
 * stops and unmounts, so no connection is left open on the mount).
 */
final class DataSourceDependsOnLiteFs implements BeanFactoryPostProcessor {

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    Set<String> liteFs = names(beanFactory, LiteFs.class);
    if (liteFs.isEmpty()) {
      return;
    }
    for (String name : names(beanFactory, DataSource.class)) {
      if (liteFs.contains(name)) {
        continue;
      }
      BeanDefinition definition;
      try {
        definition = beanFactory.getBeanDefinition(name);
      } catch (NoSuchBeanDefinitionException e) {
        continue; // a registered singleton has no definition to change
      }
      Set<String> dependsOn = new LinkedHashSet<>();
      if (definition.getDependsOn() != null) {
        dependsOn.addAll(List.of(definition.getDependsOn()));
      }
      dependsOn.addAll(liteFs);
      definition.setDependsOn(dependsOn.toArray(String[]::new));
    }
  }

  /** Bean names by type, without creating any bean (a factory bean counts by what it makes, when declared). */
  private static Set<String> names(ConfigurableListableBeanFactory beanFactory, Class<?> type) {
    return new LinkedHashSet<>(List.of(BeanFactoryUtils.beanNamesForTypeIncludingAncestors(beanFactory, type, true,
        false)));
  }
}
