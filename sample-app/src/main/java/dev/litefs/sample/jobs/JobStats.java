package dev.litefs.sample.jobs;

/**
 * How many jobs are in each state.
 *
 * @param ready waiting to be claimed (now, or after a retry's backoff)
 * @param claimed being worked on
 * @param done finished and not purged yet
 * @param dead given up on after their last attempt
 */
public record JobStats(long ready, long claimed, long done, long dead) {}
