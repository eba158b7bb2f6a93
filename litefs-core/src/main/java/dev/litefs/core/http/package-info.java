/**
 * The node API on {@code http.addr}, wire-compatible with LiteFS v0.5.14: HTTP/1.1 and h2c (prior knowledge)
 * on one port, {@code /stream} over HTTP/2 only, LiteFS's status codes, texts and headers; and the client a
 * replica and the CLI use to call it. An adapter around {@code node}.
 */
package dev.litefs.core.http;
