package io.callflow.config;

/** Text-to-speech defaults for {@code say} prompts; a flow's voice overrides them field by field. */
public record Tts(String engine, String region, String voiceId, String language) {
}
