package io.callflow.http;

import static io.callflow.Fixtures.MONDAY_10;
import static io.callflow.http.FakeCall.heard;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The example bilingual flow through the real server: after "2" the IVR speaks Swedish, voice and files alike. */
@ExtendWith(VertxExtension.class)
class LanguageHttpTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("press 2 for Swedish: say prompts use the Swedish voice and language, files come from sv/")
  void swedishForTheRestOfTheCall(Vertx vertx) throws Exception {
    Files.copy(Path.of("flows/bilingual.json"), dir.resolve("bilingual.json"));
    Server server = Server.start(vertx, TestConfig.create(dir.toString(), null),
        new MutableClock(MONDAY_10)).await();
    try {
      FakeCall call = new FakeCall(WebClient.create(vertx), server.port());
      assertEquals("ivr", call.newCall("+46701234567", "+46850004000").getString("action"));
      JsonObject choose = call.ivr();
      assertEquals(voice("Joanna", "en-US"), tts(choose, 0));
      JsonObject swedish = call.ivr("2");
      assertEquals("Du har valt svenska.", heard(swedish));
      assertEquals(voice("Astrid", "sv-SE"), tts(swedish, 0));
      assertEquals("file:sv/main-menu", heard(call.ivr()));
      JsonObject again = call.ivr("");
      assertEquals("file:sv/no-choice | file:sv/main-menu", heard(again), "the retry prompts come from sv/ too");
      assertEquals("file:sv/goodbye", heard(call.ivr("9")));
    } finally {
      server.stop().await();
    }
  }

  private static JsonObject tts(JsonObject command, int phrase) {
    JsonObject aws = command.getJsonArray("phrases").getJsonObject(phrase).getJsonObject("awsTTSParameters");
    return new JsonObject().put("VoiceId", aws.getString("VoiceId")).put("LanguageCode", aws.getString("LanguageCode"));
  }

  private static JsonObject voice(String voiceId, String language) {
    return new JsonObject().put("VoiceId", voiceId).put("LanguageCode", language);
  }
}
