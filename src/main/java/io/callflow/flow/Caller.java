package io.callflow.flow;

import java.util.Map;

/**
 * Who called whom, as the mediaservice reported it; {@code headers} are the inbound X-/P- headers by lower-case
 * name; {@code hidden} when the caller's number is private ({@code callingPartyPrivacy: "secret"}): flow logic still
 * sees it, outgoing SIP identity does not.
 */
public record Caller(String callingParty, String calledParty, String name, Map<String, String> headers,
                     boolean hidden) {

  /** What a private caller's identity renders as wherever it would leave callflow in SIP. */
  public static final String ANONYMOUS = "anonymous";

  public Caller {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public Caller(String callingParty, String calledParty, String name, Map<String, String> headers) {
    this(callingParty, calledParty, name, headers, false);
  }
}
