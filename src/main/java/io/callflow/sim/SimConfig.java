package io.callflow.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the simulator plays the mediaservice: where callflow is, how patient it is, how fast simulated time runs,
 * and how callees behave by destination ("*" for any other).
 *
 * @param compression simulated seconds per real second: 10 plays a 5 s prompt in 0.5 s
 * @param siteBaseUrl sent in callbacks as a hybrid deployment would, or null
 * @param authorization the Authorization header sent with each callback, or null
 * @param duplicates   post every callback twice, as a retrying network would, and expect the same answer
 */
public record SimConfig(String host, int port, String basePath, String domain, long timeoutMillis,
                        double compression, String siteBaseUrl, String authorization,
                        Map<String, Callee> callees, int maxCommands, boolean duplicates) {

  public SimConfig {
    callees = Map.copyOf(callees);
    if (compression <= 0) {
      throw new IllegalArgumentException("compression must be positive");
    }
  }

  public static SimConfig local(int port) {
    return new SimConfig("127.0.0.1", port, "", "sim.example.iotcomms.io", 5000, 1.0, null, null, Map.of(), 200, false);
  }

  public SimConfig compressed(double factor) {
    return new SimConfig(host, port, basePath, domain, timeoutMillis, factor, siteBaseUrl, authorization, callees,
        maxCommands, duplicates);
  }

  public SimConfig withCallee(String destination, Callee callee) {
    Map<String, Callee> all = new LinkedHashMap<>(callees);
    all.put(destination, callee);
    return new SimConfig(host, port, basePath, domain, timeoutMillis, compression, siteBaseUrl, authorization, all,
        maxCommands, duplicates);
  }

  public SimConfig withSiteBaseUrl(String url) {
    return new SimConfig(host, port, basePath, domain, timeoutMillis, compression, url, authorization, callees,
        maxCommands, duplicates);
  }

  /** Sends this Authorization header with every callback (Basic, Bearer token or Bearer JWT). */
  public SimConfig withAuthorization(String header) {
    return new SimConfig(host, port, basePath, domain, timeoutMillis, compression, siteBaseUrl, header, callees,
        maxCommands, duplicates);
  }

  public SimConfig withDuplicates() {
    return new SimConfig(host, port, basePath, domain, timeoutMillis, compression, siteBaseUrl, authorization, callees,
        maxCommands, true);
  }

  Callee callee(String destination) {
    return callees.getOrDefault(destination, callees.getOrDefault("*", Callee.DEFAULT));
  }

  /** Real milliseconds for a simulated duration. */
  long real(long simulatedMillis) {
    return Math.round(simulatedMillis / compression);
  }
}
