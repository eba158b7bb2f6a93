/**
 * The running node: its role (primary holding the lease, or replica following one), the lease loop, the
 * replica's connection to the primary, and the events applications subscribe to. Uses {@code store},
 * {@code replication} and {@code lease}; the HTTP node API and the FUSE mount are adapters around it.
 */
package dev.litefs.core.node;
