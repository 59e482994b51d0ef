package io.callflow.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ${env:NAME} in http state headers: the flow holds the reference, the request carries the value. */
@ExtendWith(VertxExtension.class)
class EnvironmentReferencesTest {

  @Test
  @DisplayName("references are replaced by the variables' values; one that is not set refuses the request, naming it")
  void resolve() {
    EnvironmentReferences env = new EnvironmentReferences(Map.of("CRM_TOKEN", "s3cret", "TENANT", "t1")::get);
    assertEquals(Map.of("Authorization", "Bearer s3cret", "X-Tenant", "t1-${other}", "X-Plain", "plain"),
        env.resolve(Map.of("Authorization", "Bearer ${env:CRM_TOKEN}", "X-Tenant", "${env:TENANT}-${other}",
            "X-Plain", "plain")));
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> env.resolve(Map.of("Authorization", "Bearer ${env:NOT_SET}")));
    assertTrue(missing.getMessage().contains("NOT_SET"), missing.getMessage());
  }

  @Test
  @DisplayName("the http state's request carries the secret from the environment; without it, it is not sent")
  void requestCarriesTheValue(Vertx vertx) {
    AtomicReference<String> seen = new AtomicReference<>();
    HttpServer crm = vertx.createHttpServer().requestHandler(request -> {
      seen.set(request.getHeader("Authorization"));
      request.response().putHeader("Content-Type", "application/json").end("{}");
    }).listen(0, "127.0.0.1").await();
    HttpStateClient client = new HttpStateClient(vertx, new AppConfig.Http(List.of("127.0.0.1"), 65536),
        new EnvironmentReferences(Map.of("CRM_TOKEN", "s3cret")::get));
    try {
      String url = "http://127.0.0.1:" + crm.actualPort() + "/customer";
      client.fetch("GET", url, Map.of("Authorization", "Bearer ${env:CRM_TOKEN}"), null, 2000).await();
      assertEquals("Bearer s3cret", seen.get());
      seen.set(null);
      Throwable refused = client.fetch("GET", url, Map.of("Authorization", "Bearer ${env:OTHER}"), null, 2000)
          .transform(done -> Future.succeededFuture(done.cause())).await();
      assertTrue(refused != null && refused.getMessage().contains("OTHER"), String.valueOf(refused));
      assertNull(seen.get(), "nothing was sent");
    } finally {
      client.close();
      crm.close().await();
    }
  }
}
