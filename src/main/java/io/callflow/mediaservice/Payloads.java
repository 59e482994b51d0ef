package io.callflow.mediaservice;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The callbacks the mediaservice posts, as the vendor documents them. Decoded leniently: unknown fields are
 * ignored, numbers are accepted where strings are declared, {@code sessionReferenceId} stays raw JSON.
 */
public final class Payloads {

  private Payloads() {
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NewCall(String sessionId, String sipCallId, String callingPartyPrivacy, String callingParty,
                        String displayName, String calledParty, Map<String, JsonNode> xHeaders,
                        Map<String, JsonNode> pHeaders, String siteId, String siteBaseUrl) {

    /** Whether the caller asked to keep the number private ({@code callingPartyPrivacy: "secret"}). */
    public boolean isPrivate() {
      return "secret".equalsIgnoreCase(callingPartyPrivacy);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record GetIvrCommand(String sessionId, JsonNode sessionReferenceId, String replyId, String dtmfBuffer,
                              DtmfParams dtmfParams, String httpTransactionId, String siteBaseUrl) {

    /** The digits of the previous collection: dtmfMatch when present, else the buffer. */
    public String digits() {
      if (dtmfParams != null && dtmfParams.dtmfMatch() != null) {
        return dtmfParams.dtmfMatch();
      }
      return dtmfBuffer;
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record DtmfParams(String dtmfMatch, String reason, String matchedTerminationKey) {
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CallEvent(String event, String sessionId, JsonNode sessionReferenceId, String connectionId,
                          String participantId, String remoteParticipantId, Integer sipResponseCode,
                          String errorDescr, String sipReason, String httpTransactionId, String siteBaseUrl) {
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CallNotify(String event, String sessionId, JsonNode sessionReferenceId, String participantId,
                           String remoteParticipantId, String siteBaseUrl) {
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CallAnswered(String sessionId, String connectionId, String callerParticipantId,
                             String calleeParticipantId, String replyId, JsonNode sessionReferenceId,
                             String httpTransactionId, String siteBaseUrl) {
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RecordingReady(String sessionId, String connectionId, String recordingFileName, Long fileSize,
                               String event, String reason) {
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SessionCompleted(String sessionId, String sessionDuration, String reason,
                                 JsonNode sessionReferenceId, String httpTransactionId, String siteBaseUrl) {
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record GetCallIdentifier(String sessionId, String calledParty, String siteBaseUrl) {
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Alarm(String type, String domain, String sessionId, String error, JsonNode errorDetails) {
  }
}
