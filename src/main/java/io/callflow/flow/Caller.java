package io.callflow.flow;

import java.util.Map;

/** Who called whom, as the mediaservice reported it; {@code headers} are the inbound X-/P- headers by lower-case name. */
public record Caller(String callingParty, String calledParty, String name, Map<String, String> headers) {

  public Caller {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }
}
