package io.callflow.mediaservice;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callflow.flow.Flow;
import io.callflow.flow.Session;

/**
 * callflow's sessionReferenceId, {@code {callId, flow, version}}: set on every decision answer, on placed calls and
 * on getCallIdentifier, and echoed by the mediaservice on later callbacks, so that any callback finds its call and
 * the flow version it runs on. The one place it is written and read.
 */
@JsonPropertyOrder({"callId", "flow", "version"})
public record CallReference(String callId, String flow, String version) {

  /** The reference of a call in progress. */
  public static CallReference of(Session session) {
    return new CallReference(session.callId(), session.flowId(), session.flowVersion());
  }

  /** The reference of a call about to start on {@code flow}. */
  public static CallReference of(String callId, Flow flow) {
    return new CallReference(callId, flow.id(), flow.version());
  }

  /** As JSON, for the answers the mediaservice reads. */
  public ObjectNode json() {
    ObjectNode reference = JsonNodeFactory.instance.objectNode();
    reference.put("callId", callId);
    reference.put("flow", flow);
    reference.put("version", version);
    return reference;
  }

  /** {@link #json()} written out, as Jackson would write it, without building the tree (every answer carries it). */
  public String encoded() {
    return Answers.object("callId", callId, "flow", flow, "version", version);
  }

  /** callflow's own callId inside a sessionReferenceId it set, or null (absent, or not one of ours). */
  public static String callIdIn(JsonNode reference) {
    JsonNode callId = reference == null ? null : reference.get("callId");
    return callId != null && callId.isTextual() ? callId.asText() : null;
  }
}
