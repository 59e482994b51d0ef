package io.callflow.sim;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the simulator plays the mediaservice: where callflow is, how patient it is, how fast simulated time runs,
 * and how callees behave by destination ("*" for any other).
 *
 * @param compression   simulated seconds per real second: 10 plays a 5 s prompt in 0.5 s
 * @param siteBaseUrl   sent in callbacks (with a siteId) as a hybrid deployment would, or null
 * @param authorization the Authorization header sent with each callback, or null
 * @param duplicates    post every callback twice, as a retrying network would, and expect the same answer
 * @param ivrAnswered   report the caller's connection to the IVR with /callAnswered (the vendor leaves open whether
 *                      it does), which makes it recordable and hangupparticipant-able
 */
public record SimConfig(Target target, String domain, double compression, String siteBaseUrl, String authorization,
                        Map<String, Callee> callees, Limits limits, boolean duplicates, boolean ivrAnswered) {

  /** Where callflow listens: callbacks go to {@code basePath + "/" + name}. */
  public record Target(String host, int port, String basePath, boolean ssl) {

    /** Parses {@code http(s)://host[:port][/base]}; a bad URL throws with the expected form. */
    public static Target of(String url) {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("target '" + url + "': expected http(s)://host[:port][/base path]", e);
      }
      boolean ssl = "https".equals(uri.getScheme());
      if (!ssl && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("target '" + url + "': expected http(s)://host[:port][/base path]");
      }
      String path = uri.getPath() == null || uri.getPath().equals("/") ? "" : uri.getPath().replaceAll("/+$", "");
      return new Target(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80, path, ssl);
    }
  }

  /**
   * Bounds that keep every simulated call finite.
   *
   * @param timeoutMillis real time each callback may take before it counts as unanswered
   * @param maxCommands   getIvrCommand requests one call may make
   * @param maxCallMillis simulated time after which the caller hangs up, whatever is happening
   * @param patience      collections a caller whose script ran out lets time out before hanging up
   */
  public record Limits(long timeoutMillis, int maxCommands, long maxCallMillis, int patience) {

    public static final Limits DEFAULT = new Limits(5000, 200, 3_600_000, 3);

    public Limits {
      if (timeoutMillis <= 0 || maxCommands <= 0 || maxCallMillis <= 0 || patience < 0) {
        throw new IllegalArgumentException("limits must be positive: " + timeoutMillis + " ms, " + maxCommands
            + " commands, " + maxCallMillis + " ms per call, patience " + patience);
      }
    }
  }

  public SimConfig {
    callees = Map.copyOf(callees);
    if (compression <= 0) {
      throw new IllegalArgumentException("compression must be positive");
    }
  }

  /** callflow on this machine's loopback at {@code port}, real time, default callees and limits. */
  public static SimConfig local(int port) {
    return target("http://127.0.0.1:" + port);
  }

  /** callflow at a base URL such as {@code http://127.0.0.1:8080} or {@code https://ivr.example.com/ms}. */
  public static SimConfig target(String baseUrl) {
    return new SimConfig(Target.of(baseUrl), "sim.example.iotcomms.io", 1.0, null, null, Map.of(), Limits.DEFAULT,
        false, false);
  }

  public SimConfig compressed(double factor) {
    return new SimConfig(target, domain, factor, siteBaseUrl, authorization, callees, limits, duplicates, ivrAnswered);
  }

  public SimConfig withCallee(String destination, Callee callee) {
    Map<String, Callee> all = new LinkedHashMap<>(callees);
    all.put(destination, callee);
    return new SimConfig(target, domain, compression, siteBaseUrl, authorization, all, limits, duplicates, ivrAnswered);
  }

  /** Adds {@code siteId} and this {@code siteBaseUrl} to callbacks, as in a hybrid deployment. */
  public SimConfig withSiteBaseUrl(String url) {
    return new SimConfig(target, domain, compression, url, authorization, callees, limits, duplicates, ivrAnswered);
  }

  /** Sends this Authorization header with every callback (Basic, Bearer token or Bearer JWT). */
  public SimConfig withAuthorization(String header) {
    return new SimConfig(target, domain, compression, siteBaseUrl, header, callees, limits, duplicates, ivrAnswered);
  }

  public SimConfig withDuplicates() {
    return new SimConfig(target, domain, compression, siteBaseUrl, authorization, callees, limits, true, ivrAnswered);
  }

  /** Reports the caller's connection to the IVR with /callAnswered. */
  public SimConfig withIvrAnswered() {
    return new SimConfig(target, domain, compression, siteBaseUrl, authorization, callees, limits, duplicates, true);
  }

  public SimConfig withDomain(String tenantDomain) {
    return new SimConfig(target, tenantDomain, compression, siteBaseUrl, authorization, callees, limits, duplicates, ivrAnswered);
  }

  public SimConfig withLimits(Limits bounds) {
    return new SimConfig(target, domain, compression, siteBaseUrl, authorization, callees, bounds, duplicates, ivrAnswered);
  }

  /** Real milliseconds each callback may take. */
  public SimConfig withTimeout(long millis) {
    return withLimits(new Limits(millis, limits.maxCommands(), limits.maxCallMillis(), limits.patience()));
  }

  Callee callee(String destination) {
    return callees.getOrDefault(destination, callees.getOrDefault("*", Callee.DEFAULT));
  }

  /** Real milliseconds for a simulated duration. */
  long real(long simulatedMillis) {
    return Math.round(simulatedMillis / compression);
  }

  /** Simulated milliseconds for a real duration. */
  long simulated(long realNanos) {
    return Math.round(realNanos / 1e6 * compression);
  }
}
