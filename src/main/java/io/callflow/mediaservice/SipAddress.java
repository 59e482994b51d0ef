package io.callflow.mediaservice;

/**
 * The vendor's {@code destAddr} is a SIP URI, always: a destination written as a number (the flow schema allows
 * E.164 numbers and digits) is dialled as {@code sip:<number>@<outbound.sipDomain>}.
 */
public final class SipAddress {

  private SipAddress() {
  }

  /** Whether {@code destination} is already a SIP URI. */
  public static boolean isUri(String destination) {
    return destination.startsWith("sip:") || destination.startsWith("sips:");
  }

  /**
   * {@code destination} as a SIP URI; a number without {@code sipDomain} cannot be one, which is a failure of the
   * configuration ({@code validate} refuses such flows) and takes the caller to the failsafe.
   */
  public static String of(String destination, String sipDomain) {
    if (isUri(destination)) {
      return destination;
    }
    if (sipDomain == null || sipDomain.isBlank()) {
      throw new IllegalStateException("destination '" + destination
          + "' is not a SIP URI and outbound.sipDomain is not set");
    }
    return "sip:" + destination + "@" + sipDomain;
  }
}
