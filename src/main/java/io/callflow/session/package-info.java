/**
 * Per-call state: the immutable {@link io.callflow.session.Session} record and the stores that keep it, each with one
 * atomic {@code update(callId, fn)} write primitive.
 */
package io.callflow.session;
