package io.callflow.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** An activity record as one line of JSON, and back; unknown fields are ignored so older readers keep working. */
public final class RecordCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private RecordCodec() {
  }

  /** Compact JSON without a line break (JSON escapes any inside strings). */
  public static byte[] encode(ActivityRecord record) {
    try {
      return MAPPER.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ActivityRecord decode(byte[] line) throws IOException {
    return MAPPER.readValue(line, ActivityRecord.class);
  }

  static ObjectMapper mapper() {
    return MAPPER;
  }
}
