/**
 * Electing the primary: the {@link dev.litefs.core.lease.Leaser} SPI and its backends, one class each:
 * {@link dev.litefs.core.lease.StaticLeaser} (a fixed primary), {@link dev.litefs.core.lease.ConsulLeaser}
 * (LiteFS's Consul session and key), {@link dev.litefs.core.lease.EtcdLeaser} (our extension: an etcd lease on a
 * key, through etcd's v3 JSON gateway) and {@link dev.litefs.core.lease.InMemoryLeaser} (tests and local use).
 * {@link dev.litefs.core.lease.Leasers} builds one from {@link dev.litefs.core.lease.LeaserSettings}.
 *
 * <p>Depends on nothing else in the core. Timing and semantics are described in {@code docs/leases.md}.
 */
package dev.litefs.core.lease;
