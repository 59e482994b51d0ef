package io.callflow.flow;

/**
 * The mediaservice's ids of this call, kept to talk back to it: the last getIvrCommand replyId (for
 * interruptivrcommand), the callAnswered replyId, connection and participants (for recording and hang-up), and
 * siteBaseUrl.
 */
public record CallIds(String sessionId, String ivrReplyId, String answeredReplyId, String connectionId,
                      String callerParticipantId, String calleeParticipantId, String siteBaseUrl) {

  public static CallIds of(String sessionId, String siteBaseUrl) {
    return new CallIds(sessionId, null, null, null, null, null, siteBaseUrl);
  }

  /** The ids a getIvrCommand brings. */
  public static CallIds ivr(String sessionId, String replyId, String siteBaseUrl) {
    return new CallIds(sessionId, replyId, null, null, null, null, siteBaseUrl);
  }

  /** These ids with every non-null field of {@code newer} taking over. */
  public CallIds merge(CallIds newer) {
    CallIds merged = new CallIds(
        pick(newer.sessionId, sessionId),
        pick(newer.ivrReplyId, ivrReplyId),
        pick(newer.answeredReplyId, answeredReplyId),
        pick(newer.connectionId, connectionId),
        pick(newer.callerParticipantId, callerParticipantId),
        pick(newer.calleeParticipantId, calleeParticipantId),
        pick(newer.siteBaseUrl, siteBaseUrl));
    // Nothing new (most callbacks): this instance, so the caller can keep its session as it is.
    return merged.sessionId == sessionId && merged.ivrReplyId == ivrReplyId
        && merged.answeredReplyId == answeredReplyId && merged.connectionId == connectionId
        && merged.callerParticipantId == callerParticipantId && merged.calleeParticipantId == calleeParticipantId
        && merged.siteBaseUrl == siteBaseUrl ? this : merged;
  }

  /** The newer value, but the older instance when they are equal, so a session keeps one copy of each id. */
  private static String pick(String newer, String older) {
    return newer != null && !newer.equals(older) ? newer : older;
  }
}
