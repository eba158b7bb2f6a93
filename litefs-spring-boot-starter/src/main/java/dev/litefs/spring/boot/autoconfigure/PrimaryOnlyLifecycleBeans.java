package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.PrimaryOnly;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.Lifecycle;

/** Finds the lifecycle beans marked {@link PrimaryOnly} on their class or on the {@code @Bean} method. */
final class PrimaryOnlyLifecycleBeans {

  private PrimaryOnlyLifecycleBeans() {}

  static Set<String> names(ConfigurableListableBeanFactory beanFactory) {
    Set<String> names = new LinkedHashSet<>();
    for (String name : beanFactory.getBeanNamesForType(Lifecycle.class, false, false)) {
      if (beanFactory.findAnnotationOnBean(name, PrimaryOnly.class, false) != null) {
        names.add(name);
      }
    }
    return names;
  }
}
