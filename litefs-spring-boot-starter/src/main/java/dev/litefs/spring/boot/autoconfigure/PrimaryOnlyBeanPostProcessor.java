package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.PrimaryOnly;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.framework.AbstractAdvisingBeanPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.Lifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Controller;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The one advisor behind {@link PrimaryOnly} on bean methods: an annotation pointcut plus
 * {@link PrimaryOnlyMethodInterceptor}. Controllers are left to the MVC interceptor, and a type-level
 * annotation on a {@link Lifecycle} bean means "start it only on the primary" (see
 * {@link PrimaryOnlyLifecycleController}), so its methods are not intercepted; nor are {@code @Bean} methods,
 * where the annotation marks the bean being defined.
 */
final class PrimaryOnlyBeanPostProcessor extends AbstractAdvisingBeanPostProcessor {
  private static final long serialVersionUID = 1L;

  private final transient Set<Class<?>> checked = ConcurrentHashMap.newKeySet();

  PrimaryOnlyBeanPostProcessor(ObjectProvider<LiteFs> liteFs) {
    this.advisor = new DefaultPointcutAdvisor(new PrimaryOnlyPointcut(), new PrimaryOnlyMethodInterceptor(liteFs));
    setBeforeExistingAdvisors(true);
    setProxyTargetClass(true);
    // Before ScheduledAnnotationBeanPostProcessor (lowest precedence), so scheduled runs go through the proxy.
    setOrder(Ordered.LOWEST_PRECEDENCE - 10);
  }

  /**
   * Refuses {@code @PrimaryOnly} where a proxy cannot honour it (a private, final or static method, other than
   * a {@code @Bean} method), instead of letting it silently run on replicas.
   */
  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
    if (checked.add(type)) {
      ReflectionUtils.doWithMethods(type, method -> {
        if (!AnnotatedElementUtils.hasAnnotation(method, PrimaryOnly.class)
            || AnnotatedElementUtils.hasAnnotation(method, Bean.class)) {
          return;
        }
        int mod = method.getModifiers();
        String why = Modifier.isPrivate(mod) ? "private" : Modifier.isFinal(mod) ? "final"
            : Modifier.isStatic(mod) ? "static" : null;
        if (why != null) {
          throw new BeanInitializationException("@PrimaryOnly on " + type.getName() + "." + method.getName()
              + " cannot be honoured: the method is " + why + ", so no proxy can intercept it. Make it public, "
              + "non-final and non-static, and call it through the bean.");
        }
      }, method -> method.getDeclaringClass() != Object.class);
    }
    return super.postProcessAfterInitialization(bean, beanName);
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
