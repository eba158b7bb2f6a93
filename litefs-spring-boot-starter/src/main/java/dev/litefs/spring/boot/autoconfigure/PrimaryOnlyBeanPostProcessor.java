package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.PrimaryOnly;
import java.lang.reflect.Method;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.framework.AbstractAdvisingBeanPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.Lifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Controller;

/**
 * The one advisor behind {@link PrimaryOnly} on bean methods: an annotation pointcut plus
 * {@link PrimaryOnlyMethodInterceptor}. Controllers are left to the MVC interceptor, and a type-level
 * annotation on a {@link Lifecycle} bean means "start it only on the primary" (see
 * {@link PrimaryOnlyLifecycleController}), so its methods are not intercepted; nor are {@code @Bean} methods,
 * where the annotation marks the bean being defined.
 */
final class PrimaryOnlyBeanPostProcessor extends AbstractAdvisingBeanPostProcessor {
  private static final long serialVersionUID = 1L;

  PrimaryOnlyBeanPostProcessor(ObjectProvider<LiteFs> liteFs) {
    this.advisor = new DefaultPointcutAdvisor(new PrimaryOnlyPointcut(), new PrimaryOnlyMethodInterceptor(liteFs));
    setBeforeExistingAdvisors(true);
    setProxyTargetClass(true);
    // Before ScheduledAnnotationBeanPostProcessor (lowest precedence), so scheduled runs go through the proxy.
    setOrder(Ordered.LOWEST_PRECEDENCE - 10);
  }

  static final class PrimaryOnlyPointcut extends StaticMethodMatcherPointcut {

    PrimaryOnlyPointcut() {
      setClassFilter(new ClassFilter() {
        @Override
        public boolean matches(Class<?> clazz) {
          return !AnnotatedElementUtils.hasAnnotation(clazz, Controller.class);
        }
      });
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
      if (method.getDeclaringClass() == Object.class) {
        return false;
      }
      Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
      // On a @Bean method the annotation marks the bean it creates (a primary-only lifecycle bean).
      if (AnnotatedElementUtils.hasAnnotation(specific, Bean.class)) {
        return false;
      }
      if (AnnotatedElementUtils.hasAnnotation(specific, PrimaryOnly.class)
          || AnnotatedElementUtils.hasAnnotation(method, PrimaryOnly.class)) {
        return true;
      }
      return !Lifecycle.class.isAssignableFrom(targetClass)
          && AnnotatedElementUtils.hasAnnotation(targetClass, PrimaryOnly.class);
    }
  }
}
