/**
 * The files {@code litefs init} writes into an application's project: {@code fly.toml}, {@code litefs.yml} and a
 * {@code Dockerfile} (managed mode, or a sidecar variant with its {@code litefs} launcher), as resources under
 * {@code dev/litefs/templates/}, and {@link dev.litefs.templates.ProjectTemplates}, which renders them.
 *
 * <p>Placeholders are <code>{{name}}</code> and nothing else: no loops, no conditions, no escapes. A variant is a
 * separate file. Every placeholder must have a value and a <code>{{</code> that is not a placeholder is an error, so a
 * typo in a template fails the build's tests instead of reaching a user's project.
 */
package dev.litefs.templates;
