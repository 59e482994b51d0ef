package io.callflow.report;

import io.callflow.flow.EndReason;
import io.callflow.flow.Flow;
import io.callflow.flow.Secrets;
import io.callflow.flow.State;
import io.callflow.report.ActivityRecord.Alarm;
import io.callflow.report.ActivityRecord.Ending;
import io.callflow.report.ActivityRecord.Event;
import io.callflow.report.ActivityRecord.MenuVisit;
import io.callflow.report.ActivityRecord.RecordingEntry;
import io.callflow.flow.Activity;
import io.callflow.flow.Session;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds a call's {@link ActivityRecord} from its session and flow. Pure: same inputs, same record. */
public final class ActivityRecords {

  private ActivityRecords() {
  }

  /**
   * The record of a call that ends at {@code endedAt}. {@code flow} is the version the call ran on; null when it is
   * no longer known, and then every variable is masked.
   */
  public static ActivityRecord build(Flow flow, Session session, Instant endedAt) {
    Secrets secrets = Secrets.of(flow, session.vars());
    List<Activity> trail = session.trail();
    return new ActivityRecord(
        ActivityRecord.SCHEMA_VERSION,
        idOf(session),
        session.callId(),
        session.flowId(),
        session.flowVersion(),
        session.direction() == null ? Session.Direction.INBOUND.name() : session.direction().name(),
        session.caller().callingParty(),
        session.caller().calledParty(),
        session.startedAtMillis(),
        endedAt.toEpochMilli(),
        menus(flow, trail),
        secrets.shown(session.vars()),
        session.recordings().stream().map(r -> new RecordingEntry(secrets.scrub(r.file()), r.state(), r.atMillis(),
            r.outcome(), r.bytes(), secrets.scrub(r.reason()))).toList(),
        ending(flow, session, secrets),
        trail.stream().filter(a -> a.kind() == Activity.Kind.ALARM).map(a -> alarm(a, secrets)).toList(),
        trail.stream().map(a -> new Event(a.atMillis(), a.state(), a.kind().wire(), secrets.scrub(a.detail()))).toList());
  }

  /** The same call always gets the same id, so a record produced or delivered twice can be recognised. */
  static String idOf(Session session) {
    String name = "callflow-activity:" + session.callId() + ":" + session.startedAtMillis();
    byte[] md5 = MD5.get().digest(name.getBytes(StandardCharsets.UTF_8));
    // A name-based (version 3) UUID, as UUID.nameUUIDFromBytes makes it, without looking up MD5 for every call.
    md5[6] = (byte) (md5[6] & 0x0f | 0x30);
    md5[8] = (byte) (md5[8] & 0x3f | 0x80);
    ByteBuffer bits = ByteBuffer.wrap(md5);
    return new UUID(bits.getLong(), bits.getLong()).toString();
  }

  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has MD5", e);
    }
  });

  /** Each entry into a menu state opens a visit; its retries and its selection close it. */
  private static List<MenuVisit> menus(Flow flow, List<Activity> trail) {
    List<MenuVisit> visits = new ArrayList<>();
    String menu = null;
    long at = 0;
    int noInput = 0;
    int invalid = 0;
    for (Activity activity : trail) {
      boolean inMenu = menu != null && menu.equals(activity.state());
      if (activity.kind() == Activity.Kind.ENTERED) {
        if (menu != null) {
          visits.add(new MenuVisit(menu, at, null, null, noInput, invalid));
        }
        boolean isMenu = flow != null && !options(flow.states().get(activity.state())).isEmpty();
        menu = isMenu ? activity.state() : null;
        at = activity.atMillis();
        noInput = 0;
        invalid = 0;
      } else if (inMenu && activity.kind() == Activity.Kind.NO_INPUT) {
        noInput++;
      } else if (inMenu && activity.kind() == Activity.Kind.INVALID) {
        invalid++;
      } else if (inMenu && activity.kind() == Activity.Kind.SELECTED) {
        String target = options(flow.states().get(menu)).get(activity.detail());
        visits.add(new MenuVisit(menu, at, activity.detail(), target, noInput, invalid));
        menu = null;
      }
    }
    if (menu != null) {
      visits.add(new MenuVisit(menu, at, null, null, noInput, invalid));
    }
    return visits;
  }

  /** A state's options (key to target); none for a state that is no menu, or no longer in the flow. */
  private static Map<String, String> options(State state) {
    return state == null ? Map.of() : state.options();
  }

  /**
   * "kind:detail" split generically, so reasons added later ("maxDuration", "operatorHangup") need no change here.
   * The state is where the call was, except that a transfer names the forward that connected, and a reason whose
   * detail is a state of the flow ("callerHangup:main") names that state.
   */
  static Ending ending(Flow flow, Session session, Secrets secrets) {
    String reason = session.endReason() == null ? "unknown" : session.endReason();
    String kind = EndReason.kindOf(reason);
    String detail = EndReason.detailOf(reason);
    Activity connected = last(session.trail(), Activity.Kind.CONNECTED, null, Integer.MAX_VALUE);
    String destination = null;
    if (connected != null) {
      Activity forwarding = last(session.trail(), Activity.Kind.FORWARDING, connected.state(), session.trail().indexOf(connected));
      destination = forwarding == null ? null : secrets.scrub(forwarding.detail());
    }
    String state = session.at().state();
    if (EndReason.TRANSFERRED.is(kind) && connected != null) {
      state = connected.state();
    } else if (detail != null && flow != null && flow.states().containsKey(detail)) {
      state = detail;
    }
    return new Ending(reason, kind, detail, state, destination);
  }

  /** The last trail entry of {@code kind} (in {@code state}, if given) before index {@code before}. */
  private static Activity last(List<Activity> trail, Activity.Kind kind, String state, int before) {
    for (int i = Math.min(before, trail.size()) - 1; i >= 0; i--) {
      Activity activity = trail.get(i);
      if (activity.kind() == kind && (state == null || state.equals(activity.state()))) {
        return activity;
      }
    }
    return null;
  }

  private static Alarm alarm(Activity activity, Secrets secrets) {
    String detail = activity.detail() == null ? "" : activity.detail();
    int split = detail.indexOf(": ");
    String type = split < 0 ? detail : detail.substring(0, split);
    String error = split < 0 ? null : detail.substring(split + 2);
    return new Alarm(activity.atMillis(), activity.state(), type, secrets.scrub(error));
  }
}
