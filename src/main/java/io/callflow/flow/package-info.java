/**
 * The pure flow core: the flow model parsed from operators' JSON files and the {@link io.callflow.flow.FlowEngine}
 * that steps a call through it. Nothing here imports Vert.x, reads a clock or does I/O.
 */
package io.callflow.flow;
