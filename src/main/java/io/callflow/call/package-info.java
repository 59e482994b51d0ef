/**
 * The shell around the engine: {@link io.callflow.call.CallDriver} loads a call's session, steps the engine,
 * stores the result atomically and answers; {@link io.callflow.call.EffectRunner} carries out the engine's
 * requests and timers after the answer; outbound calls, flow versions and hot reload.
 */
package io.callflow.call;
