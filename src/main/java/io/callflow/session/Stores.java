package io.callflow.session;

import io.callflow.config.AppConfig;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * The stores the configuration asks for: in memory for one instance, or in Redis (one link shared by both) for
 * several instances behind a load balancer. Closing the session store closes the link.
 */
public record Stores(SessionStore sessions, FlowSourceStore flowSources) {

  public static Stores open(Vertx vertx, AppConfig.Sessions config) {
    Lifetimes lifetimes = new Lifetimes(Duration.ofSeconds(config.ttlSeconds()),
        Duration.ofSeconds(config.tombstoneSeconds()));
    if (!"redis".equals(config.store())) {
      return new Stores(new InMemorySessionStore(lifetimes), FlowSourceStore.NONE);
    }
    AppConfig.Redis redis = config.redis();
    RedisLink link = RedisLink.open(vertx, redis.url(), redis.type(), redis.masterName());
    // An idle call's key outlives its TTL by two reaper rounds and then some, so a reaper still finds it to report.
    Duration grace = Duration.ofSeconds(2L * config.reapIntervalSeconds() + 10);
    return new Stores(new RedisSessionStore(link, lifetimes, grace), new RedisFlowSourceStore(vertx, link));
  }
}
