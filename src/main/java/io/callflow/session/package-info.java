/**
 * Per-call state: the immutable {@link io.callflow.flow.Session} record and the stores that keep it, each with one
 * atomic {@code update(callId, fn)} write primitive: in memory for one instance, or in Redis (with the flow versions
 * the instances share) for several behind a load balancer.
 */
package io.callflow.session;
