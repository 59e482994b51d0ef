package io.callflow.session;

import io.callflow.flow.Activity;
import io.callflow.flow.Session;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A session as bytes for Redis: Jackson on the record itself, so a component added to {@link Session} or to one of
 * its nested records round-trips without a change here. Smile (binary JSON) with nulls left out: field names stay
 * in the bytes, so an instance that does not know a new component yet still reads the rest (bench/README.md has
 * the sizes against plain JSON).
 */
public final class SessionCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper(SmileFactory.builder()
      // callId and sessionId are usually the same string: written once, then referred to (needs the 4-byte header).
      .enable(SmileGenerator.Feature.CHECK_SHARED_STRING_VALUES)
      .build())
      // Only record components are state: accessors such as Session.ended() or Activity.at() are derived.
      .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      // A component this instance does not know yet (a newer instance wrote it) must not fail the call.
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ObjectWriter WRITER = MAPPER.writerFor(Session.class);
  private static final ObjectReader READER = MAPPER.readerFor(Session.class);

  private SessionCodec() {
  }

  public static byte[] encode(Session session) {
    try {
      return WRITER.writeValueAsBytes(session);
    } catch (IOException e) {
      throw new UncheckedIOException("session " + session.callId() + " cannot be encoded", e);
    }
  }

  public static Session decode(byte[] bytes, int offset, int length) {
    try {
      return READER.readValue(bytes, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException("a stored session cannot be decoded", e);
    }
  }

  public static Session decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }
}
