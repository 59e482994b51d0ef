package io.callflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.flow.FlowParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StudioGraphTest {

  private static JsonObject graph(byte[] source) throws Exception {
    return StudioGraph.of(new FlowParser().parse("t.json", source), source);
  }

  private static boolean has(JsonArray edges, String from, String to, String label, String key, boolean implicit) {
    return edges.contains(new JsonObject().put("from", from).put("to", to).put("label", label).put("key", key)
        .put("implicit", implicit));
  }

  @Test
  @DisplayName("edges carry their JSON key, branch conditions read as words, exits nobody named go to the failsafe marked implicit")
  void graph() throws Exception {
    JsonObject support = graph(Files.readAllBytes(Path.of("flows/support.json")));
    JsonArray edges = support.getJsonArray("edges");
    assertEquals(17, support.getJsonArray("nodes").size());
    assertTrue(has(edges, "main-menu", "sales", "press 1", "options/1", false), edges.encodePrettily());
    assertTrue(has(edges, "vip-check", "agent", "callingParty in +46701111111, +46702222222", "cases/0", false));
    assertTrue(has(edges, "vip-check", "agent", "header.x-customer-tier = gold", "cases/1", false));
    assertFalse(support.getJsonObject("failsafe").getBoolean("used"));

    JsonObject small = graph("""
        {"id": "t", "start": "m", "states": {
          "m": {"type": "menu", "prompt": {"say": "Hi"}, "options": {"1": "bye", "2": "failsafe"},
                "invalid": {"exit": "bye"}},
          "bye": {"type": "hangup"}}}
        """.getBytes(StandardCharsets.UTF_8));
    JsonArray smallEdges = small.getJsonArray("edges");
    assertTrue(has(smallEdges, "m", "failsafe", "no input", "noInput", true), smallEdges.encodePrettily());
    assertTrue(has(smallEdges, "m", "failsafe", "press 2", "options/2", false));
    assertTrue(has(smallEdges, "m", "bye", "invalid", "invalid", false));
    assertTrue(small.getJsonObject("failsafe").getBoolean("used"));
  }
}
