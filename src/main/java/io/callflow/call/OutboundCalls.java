package io.callflow.call;

import io.callflow.config.AppConfig;
import io.callflow.flow.Flow;
import io.callflow.mediaservice.MediaserviceClient;
import io.callflow.mediaservice.SipAddress;
import io.callflow.flow.CallIds;
import io.callflow.flow.Caller;
import io.callflow.flow.Position;
import io.callflow.flow.Session;
import io.callflow.session.SessionStore;
import io.vertx.core.Future;
import io.callflow.mediaservice.CallReference;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places outbound calls: makes the call's session first (its own callId, the flow version pinned, the variables
 * set), then asks the mediaservice to dial with callflow's reference, so that the callbacks of the call find it.
 * When the mediaservice refuses, the call ends as placeFailed and the caller of this learns why.
 */
public final class OutboundCalls {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.call");

  /** An outbound call to make; {@code to} is a SIP URI or a number. */
  public record Request(String to, String from, String displayName, Flow flow, Map<String, String> variables,
                 int maxRingTime) {
  }

  private final CallDriver driver;
  private final EffectRunner runner;
  private final AppConfig.Outbound config;
  private final Clock clock;
  private final CallMetrics metrics;

  public OutboundCalls(CallDriver driver, EffectRunner runner, AppConfig.Outbound config, Clock clock,
                CallMetrics metrics) {
    this.driver = driver;
    this.runner = runner;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The SIP URI to dial for {@code to}, or a 400 when a number cannot be dialled without outbound.sipDomain. */
  String destination(String to) {
    if (!SipAddress.isUri(to) && config.sipDomain() == null) {
      throw new BadCallback("'to' must be a SIP URI (sip:user@host) while outbound.sipDomain is not set");
    }
    return SipAddress.of(to, config.sipDomain());
  }

  public Future<Session> place(Request request) {
    String destination = destination(request.to());
    String from = request.from() != null ? request.from() : config.from();
    Flow flow = request.flow();
    Session session = Session.start(UUID.randomUUID().toString(), flow.id(), flow.version(),
        Session.Direction.OUTBOUND, new Caller(from, request.to(), request.displayName(), Map.of()),
        CallIds.of(null, null), flow.start(), clock.instant()).at(Position.of(flow.start(), Position.Phase.DIALING));
    for (Map.Entry<String, String> variable : request.variables().entrySet()) {
      session = session.withVar(variable.getKey(), variable.getValue());
    }
    Session placed = session;
    MediaserviceClient.PlaceCall call = new MediaserviceClient.PlaceCall(destination, from, request.displayName(),
        request.maxRingTime(), CallReference.of(placed));
    // The placement is kept with the new session: if this instance dies before it is sent, another one sends it;
    // if it dies while sending, the call ends as placeUnknown rather than ring twice.
    String entry = EffectEntry.newId();
    EffectEntry placement = EffectEntry.place(call);
    return driver.create(placed, List.of(new SessionStore.Pending(entry, true, placement.encode())))
        .compose(created -> driver.sending(placed.callId(), entry))
        .compose(mine -> mine ? runner.place(placed.callId(), call, driver)
            : Future.failedFuture("the placement was taken over by another instance"))
        .andThen(sent -> driver.settle(placed.callId(), entry))
        .map(v -> {
          LOG.info("call.placed callId={} flow={} version={} to={}", placed.callId(), flow.id(), flow.version(),
              request.to());
          metrics.started(flow.id());
          return placed;
        });
  }
}
