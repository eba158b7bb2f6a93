/**
 * The public API of the LiteFS Spring Boot starter: the {@link dev.litefs.spring.LiteFs} bean, the
 * {@link dev.litefs.spring.PrimaryOnly} annotation, {@link dev.litefs.spring.NotPrimaryException}, the
 * {@link dev.litefs.spring.PrimaryChangedEvent} and the {@link dev.litefs.spring.LiteFsReadinessCheck} SPI.
 * Everything else in the starter is an implementation detail.
 */
@NullMarked
package dev.litefs.spring;

import org.jspecify.annotations.NullMarked;
