package io.callflow.sim;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * How simulated calls fared while their server stopped: completed, or cut off by a refused or closed connection
 * (never accepted), or lost — anything else, such as a 5xx or a request the server took and never answered.
 */
public record StopOutcome(int calls, int completed, List<String> lost) {

  public static StopOutcome of(List<Future<Transcript>> calls) {
    int completed = 0;
    List<String> lost = new ArrayList<>();
    for (Future<Transcript> call : calls) {
      Transcript transcript = call.await();
      if (transcript.protocolErrors().isEmpty()) {
        completed++;
      } else {
        String error = transcript.protocolErrors().get(0);
        if (!error.contains("Connection refused") && !error.contains("onnection was closed")) {
          lost.add(error);
        }
      }
    }
    return new StopOutcome(calls.size(), completed, lost);
  }
}
