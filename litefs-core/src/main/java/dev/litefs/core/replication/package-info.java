/**
 * LiteFS's replication stream ({@code POST /stream}): the position map a replica sends, the seven frame
 * types a primary answers with, and the chunked encoding that carries LTX files inside them
 * (reference §3.3-§3.4). Uses {@code ltx} and {@code store}.
 */
package dev.litefs.core.replication;
