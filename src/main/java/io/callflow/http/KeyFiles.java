package io.callflow.http;

import io.callflow.config.AppConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PEM key files the configuration names, read once at start-up (a missing file stops start-up): callback
 * public keys (jwt mode), the private key that signs mediaservice API tokens, and the IVR-message intake's public
 * key.
 */
record KeyFiles(List<String> callbackKeys, String apiPrivateKey, String ivrMessageKey) {

  /** Reads the files; blocking, so call it off the event loop. */
  static KeyFiles read(AppConfig config) throws IOException {
    List<String> callbackKeys = new ArrayList<>();
    if (config.callbackAuth().mode().equals("jwt")) {
      for (String file : config.callbackAuth().credentials()) {
        callbackKeys.add(Files.readString(Path.of(file)));
      }
    }
    AppConfig.Jwt jwt = config.mediaservice().jwt();
    AppConfig.IvrMessages messages = config.outbound().ivrMessages();
    return new KeyFiles(callbackKeys, jwt == null ? null : Files.readString(Path.of(jwt.privateKeyFile())),
        messages == null || messages.publicKeyFile() == null ? null : Files.readString(Path.of(messages.publicKeyFile())));
  }
}
