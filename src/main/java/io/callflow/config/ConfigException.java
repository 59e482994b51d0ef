package io.callflow.config;

/** A configuration value callflow cannot start with; the message names the key. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String key, String problem) {
    super("config " + key + ": " + problem);
  }
}
