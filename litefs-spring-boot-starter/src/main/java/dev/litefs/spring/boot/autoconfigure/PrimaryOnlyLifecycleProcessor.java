package dev.litefs.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.Lifecycle;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * The context's lifecycle processor, minus the primary-only lifecycle beans: those are started and stopped by
 * {@link PrimaryOnlyLifecycleController} as the role changes, so the context must not start them on a
 * replica. Otherwise it is Spring's {@link DefaultLifecycleProcessor}.
 */
final class PrimaryOnlyLifecycleProcessor extends DefaultLifecycleProcessor {
  private @Nullable ConfigurableListableBeanFactory beanFactory;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    super.setBeanFactory(beanFactory);
    this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
  }

  @Override
  protected Map<String, Lifecycle> getLifecycleBeans() {
    Map<String, Lifecycle> beans = new LinkedHashMap<>(super.getLifecycleBeans());
    if (beanFactory != null) {
      Set<String> primaryOnly = PrimaryOnlyLifecycleBeans.names(beanFactory);
      beans.keySet().removeAll(primaryOnly);
    }
    return beans;
  }
}
