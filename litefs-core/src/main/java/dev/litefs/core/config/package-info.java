/**
 * The {@code litefs.yml} configuration: an immutable model with LiteFS v0.5.14's keys and defaults
 * ({@link dev.litefs.core.config.LiteFsConfig}), and the loader that reads it
 * ({@link dev.litefs.core.config.ConfigLoader}): environment expansion on the raw text, strict YAML binding
 * whose errors name the key and the line, and validation. Our additions to LiteFS's schema are listed in
 * {@link dev.litefs.core.config.Extensions}; keys that are accepted but whose feature is not built yet, in
 * {@link dev.litefs.core.config.NotYetImplemented}. Depends on nothing else in the core; see
 * {@code docs/config.md} and {@code docs/adr/0003-config-parsing.md}.
 */
package dev.litefs.core.config;
