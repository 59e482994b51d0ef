package io.callflow.http;

import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shipped deployment examples (there is no Docker or nginx on the build machine, so the files are read and the
 * parts that can run here are run): the container image, the compose file, nginx.conf and the README's TLS server.
 */
@ExtendWith(VertxExtension.class)
class DeploymentExamplesIT {

  private static final Pattern PROXIED = Pattern.compile("location ~ \\^/\\(([^)]*)\\)\\$ \\{");

  @Test
  @DisplayName("the image runs JRE 25 as a numeric user, has no VOLUME on its config, and a health check")
  void dockerfile() throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    List<String> stages = dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList();
    assertEquals("FROM eclipse-temurin:25-jre", stages.get(stages.size() - 1), "the runtime stage");
    assertTrue(dockerfile.lines().anyMatch(l -> l.matches("USER \\d+(:\\d+)?")), "USER is numeric");
    dockerfile.lines().filter(l -> l.startsWith("VOLUME")).forEach(volume ->
        assertFalse(volume.contains("/app/config"), volume));
    assertTrue(dockerfile.contains("HEALTHCHECK"), "HEALTHCHECK");
    assertTrue(dockerfile.contains("perf") || dockerfile.contains("bench/README.md"), "the GC note names who decides");
  }

  @Test
  @DisplayName("the image's HEALTHCHECK command passes against a running callflow and fails without one")
  void healthCheckRuns(Vertx vertx) throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile")).replace("\\\n", "");
    Matcher m = Pattern.compile("HEALTHCHECK .*?CMD (\\[.*])").matcher(dockerfile);
    assertTrue(m.find(), "HEALTHCHECK in exec form");
    List<String> command = new JsonArray(m.group(1)).stream().map(String::valueOf).toList();
    Server server = Server.start(vertx, TestConfig.create("src/test/resources/flows", null),
        new MutableClock(MONDAY_10)).await();
    try {
      assertEquals(0, run(command, server.port()), "healthy while serving");
    } finally {
      server.stop().await();
    }
    assertNotEquals(0, run(command, server.port()), "unhealthy once stopped");
    String compose = Files.readString(Path.of("config/scale-out/docker-compose.yml"));
    assertTrue(compose.contains("healthcheck:") && compose.contains("/dev/tcp/127.0.0.1/8080"), "compose checks too");
    assertTrue(compose.contains("condition: service_healthy"), "nginx waits for healthy instances");
  }

  @Test
  @DisplayName("nginx.conf and the README's TLS server forward exactly the callbacks, and nothing else")
  void onlyCallbacksExposed(Vertx vertx) throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int tls = readme.indexOf("**TLS.**");
    String tlsExample = readme.substring(readme.indexOf("```nginx", tls), readme.indexOf("```\n", readme.indexOf("```nginx", tls) + 8));
    assertTrue(tlsExample.contains("listen 443 ssl") && tlsExample.contains("ssl_certificate_key")
        && tlsExample.contains("ssl_protocols") && tlsExample.contains("return 301 https://"), "TLS shown in full");
    Server server = Server.start(vertx, TestConfig.create("src/test/resources/flows", null),
        new MutableClock(MONDAY_10)).await();
    WebClient client = WebClient.create(vertx);
    try {
      for (String example : List.of(Files.readString(Path.of("config/scale-out/nginx.conf")), tlsExample)) {
        assertEquals(1, count(example, "proxy_pass"), "one proxied location: " + example);
        Matcher m = PROXIED.matcher(example);
        assertTrue(m.find(), example);
        Set<String> names = new TreeSet<>(Arrays.asList(m.group(1).split("\\|")));
        assertEquals(new TreeSet<>(List.of("newCall", "getIvrCommand", "callEvent", "callNotify", "callAnswered",
            "recordingReady", "sessionCompleted", "getCallIdentifier", "alarm")), names);
        assertTrue(example.contains("location / {\n") && example.matches("(?s).*location / \\{\\s*return 404;.*"),
            "everything else is refused");
        for (String name : names) {
          assertNotEquals(404, client.post(server.port(), "127.0.0.1", "/" + name).sendBuffer(
              io.vertx.core.buffer.Buffer.buffer("{}")).await().statusCode(), name + " is a callback route");
        }
      }
    } finally {
      server.stop().await();
    }
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  /** Runs the health check with the callback port in place of 8080; its exit code. */
  private static int run(List<String> command, int port) throws Exception {
    List<String> local = new ArrayList<>();
    command.forEach(part -> local.add(part.replace("/8080", "/" + port)));
    Process process = new ProcessBuilder(local).redirectErrorStream(true).start();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), "health check finished");
    return process.exitValue();
  }
}
