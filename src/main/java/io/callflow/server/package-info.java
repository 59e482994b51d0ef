/**
 * The HTTP shell: the route table, one handler per callback family, {@link io.callflow.server.CallDriver}, which
 * loads a call's session, steps the engine, stores the result atomically and answers, and
 * {@link io.callflow.server.EffectRunner}, which carries out the engine's requests and timers after the answer.
 * Also the admin APIs (flows, calls) and the IVR-message intake.
 */
package io.callflow.server;
