/**
 * Auto-configuration of the LiteFS starter. Only the auto-configuration classes and {@link
 * dev.litefs.spring.boot.autoconfigure.LiteFsProperties} are public; the rest is an implementation detail.
 */
@NullMarked
package dev.litefs.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
