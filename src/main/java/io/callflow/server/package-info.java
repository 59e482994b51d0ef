/**
 * The HTTP shell: the route table, one handler per callback family, and {@link io.callflow.server.CallDriver}, which
 * loads a call's session, steps the engine, stores the result atomically and answers.
 */
package io.callflow.server;
