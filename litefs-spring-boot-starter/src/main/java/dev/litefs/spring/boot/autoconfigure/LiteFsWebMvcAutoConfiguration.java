package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.LiteFsMode;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configuration of request routing for Spring MVC: {@code @PrimaryOnly} handlers, {@code requirePrimary()}
 * in handlers, and read-your-writes, with fly-replay or forwarding to the primary.
 */
@AutoConfiguration(after = LiteFsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(LiteFs.class)
@ConditionalOnBooleanProperty(name = "litefs.enabled", matchIfMissing = true)
public final class LiteFsWebMvcAutoConfiguration {

  /** Before Spring's FormContentFilter (-9900), so a body to forward has not been consumed yet. */
  static final int FILTER_ORDER = -10_000;

  @Bean
  @ConditionalOnMissingBean
  PrimaryRouter liteFsPrimaryRouter(LiteFs liteFs, LiteFsProperties properties, Environment environment) {
    LiteFsProperties.Replay replay = properties.getReplay();
    LiteFsProperties.ReplayMode mode = replay.getMode();
    if (mode == LiteFsProperties.ReplayMode.AUTO) {
      mode = environment.getProperty("FLY_APP_NAME") != null
          ? LiteFsProperties.ReplayMode.FLY : LiteFsProperties.ReplayMode.FORWARD;
    }
    PrimaryForwarder forwarder = null;
    if (mode == LiteFsProperties.ReplayMode.FORWARD) {
      String template = replay.getPrimaryUrlTemplate();
      if (template == null || template.isBlank()) {
        if (liteFs.mode() != LiteFsMode.DEV) {
          throw new LiteFsStartupException("Replicas forward requests that need the primary (litefs.replay.mode "
              + "is forward, or auto outside Fly.io), but litefs.replay.primary-url-template is not set.",
              "Set litefs.replay.primary-url-template to the primary application's URL, for example "
                  + "http://{hostname}:8080, or set litefs.replay.mode=fly on Fly.io.");
        }
      } else {
        if (!template.contains("{hostname}")) {
          throw new LiteFsStartupException("litefs.replay.primary-url-template " + Hostnames.quote(template)
              + " does not contain {hostname}.", "Write the template as a URL with {hostname} where the primary's "
              + "hostname goes, for example http://{hostname}:8080.");
        }
        forwarder = new PrimaryForwarder(template, liteFs.hostname(), replay.getForwardConnectTimeout(),
            replay.getForwardTimeout());
      }
    }
    return new PrimaryRouter(liteFs, replay, mode, forwarder);
  }

  @Bean
  @ConditionalOnMissingBean(name = "liteFsRequestFilter")
  FilterRegistrationBean<LiteFsRequestFilter> liteFsRequestFilter(LiteFs liteFs, PrimaryRouter router,
      LiteFsProperties properties) {
    validateToken(properties.getConsistency().getCookieName(), "litefs.consistency.cookie-name");
    validateToken(properties.getConsistency().getHeaderName(), "litefs.consistency.header-name");
    FilterRegistrationBean<LiteFsRequestFilter> registration =
        new FilterRegistrationBean<>(new LiteFsRequestFilter(liteFs, router, properties));
    registration.setOrder(FILTER_ORDER);
    registration.setName("liteFsRequestFilter");
    return registration;
  }

  @Bean
  WebMvcConfigurer liteFsWebMvcConfigurer(LiteFs liteFs, PrimaryRouter router) {
    PrimaryOnlyHandlerInterceptor interceptor = new PrimaryOnlyHandlerInterceptor(liteFs, router);
    return new WebMvcConfigurer() {
      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(interceptor);
      }
    };
  }

  @Bean
  NotPrimaryExceptionResolver liteFsNotPrimaryExceptionResolver(PrimaryRouter router) {
    return new NotPrimaryExceptionResolver(router);
  }

  /** Cookie and header names end up in responses, so they must be RFC 7230 tokens. */
  private static void validateToken(String name, String property) {
    boolean ok = !name.isEmpty();
    for (int i = 0; ok && i < name.length(); i++) {
      char c = name.charAt(i);
      ok = c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
    if (!ok) {
      throw new LiteFsStartupException(property + " " + Hostnames.quote(name) + " is not a valid HTTP token.",
          "Use only letters, digits and !#$%&'*+-.^_`|~ in " + property + ".");
    }
  }
}
