package dev.litefs.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks code that may only run on the LiteFS primary. What happens on a replica depends on where it sits:
 *
 * <ul>
 *   <li><b>On a Spring MVC handler method or controller class</b>: the request is not executed. It is sent to
 *       the primary: a {@code fly-replay: instance=<primary>;state=primary-only} response on Fly.io, or a
 *       forward to the primary's URL with {@code litefs.replay.mode=forward}. With no known primary the answer
 *       is {@code 503} with {@code Retry-After}. On the primary, the response carries the read-your-writes
 *       cookie.
 *   <li><b>On any other bean method</b> (a {@code @Scheduled} job, a service): on a replica, a {@code void}
 *       method called outside a web request is skipped (logged at debug); anything else throws
 *       {@link NotPrimaryException}, which inside a web request becomes a replay as above. Methods of a class
 *       annotated at type level are all covered, except those declared by {@link Object}.
 *   <li><b>On a {@link org.springframework.context.SmartLifecycle} bean</b> (its class, or the {@code @Bean}
 *       method that creates it: a queue listener container, a worker loop): the bean is started only while this
 *       node is primary. It is started on promotion and stopped on demotion, waiting for its in-flight work up
 *       to {@code litefs.primary-only.stop-timeout}. Its other methods are not intercepted.
 * </ul>
 *
 * <p>Primary-only work (scheduled jobs and lifecycle beans) starts on a newly promoted node only after
 * pending migrations have run there (with {@code litefs-flyway}), and stops before the demotion is reported
 * to other listeners. Role changes come from LiteFS's event stream; nothing polls.
 *
 * <p>Methods must be proxyable: public, not final, and called through the bean (not via {@code this}).
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PrimaryOnly {}
