package io.callflow.mediaservice;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.callflow.config.Tts;
import io.callflow.flow.Flow;
import io.callflow.flow.Prompt;
import io.callflow.flow.Reply;
import java.util.List;
import java.util.Map;

/** Renders the engine's replies as the JSON answers the mediaservice expects (mediaservice-protocol.md). */
public final class Answers {

  /** The telephone leg's sample rate, for Google's audioConfig. */
  private static final int GOOGLE_SAMPLE_RATE = 8000;

  private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /** Flow versions whose answers are kept once rendered; cleared when it grows past this (reloads add versions). */
  private static final int MAX_FLOW_VERSIONS = 256;

  private final Tts defaults;
  /** Numbers in destinations are dialled at this domain (outbound.sipDomain); null when none is configured. */
  private final String sipDomain;
  private final java.util.concurrent.ConcurrentHashMap<FlowVersion, RenderedAnswers> rendered =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record FlowVersion(String id, String version) {
  }

  public Answers(Tts defaults) {
    this(defaults, null);
  }

  public Answers(Tts defaults, String sipDomain) {
    this.defaults = defaults;
    this.sipDomain = sipDomain;
  }

  /**
   * {@link #body(Reply, Flow.Voice)} for a reply of {@code flow}: an answer made only of the flow's own texts is
   * rendered once per flow version and the same string returned after that.
   */
  public String rendered(Reply reply, Flow flow) {
    FlowVersion key = new FlowVersion(flow.id(), flow.version());
    RenderedAnswers answers = rendered.get(key);
    if (answers == null) {
      if (rendered.size() >= MAX_FLOW_VERSIONS) {
        rendered.clear();
      }
      answers = rendered.computeIfAbsent(key, k -> new RenderedAnswers(flow));
    }
    return answers.body(reply, r -> body(r, flow.voice()));
  }

  /**
   * The answer to one callback without the fields that echo ids ({@link #echo} adds them): the decision alone,
   * as a session keeps it for replay.
   */
  public String body(Reply reply, Flow.Voice voice) {
    Object answer;
    if (reply instanceof Reply.Command command) {
      answer = command(command, voice, null, null, null);
    } else if (reply instanceof Reply.ConnectIvr) {
      answer = new CallAction("ivr", null, null, null, null, null, null, null, null, null);
    } else if (reply instanceof Reply.Call call) {
      answer = new CallAction("call", SipAddress.of(call.destination(), sipDomain), (double) call.ringTime(), null,
          call.sipFrom(), call.displayName(), call.recordingFile() == null ? null : Boolean.TRUE, call.recordingFile(),
          call.callerPrivacy() ? Boolean.TRUE : null, null);
    } else if (reply instanceof Reply.Drop drop) {
      answer = new CallAction("drop", null, null, drop.dropCode(), null, null, null, null, null, null);
    } else {
      answer = Map.of();
    }
    return write(answer);
  }

  /**
   * {@code body} with the echo fields in front: the request's {@code sessionId} and {@code replyId} (IVR commands)
   * and callflow's {@code reference}; null ones are left out.
   */
  public static String echo(String body, String sessionId, String replyId, String reference) {
    if (sessionId == null && replyId == null && reference == null) {
      return body;
    }
    StringBuilder out = new StringBuilder(body.length() + 96 + (replyId == null ? 0 : replyId.length()));
    char separator = '{';
    if (sessionId != null) {
      field(out.append(separator), "sessionId", sessionId);
      separator = ',';
    }
    if (replyId != null) {
      field(out.append(separator), "replyId", replyId);
      separator = ',';
    }
    if (reference != null) {
      out.append(separator).append("\"sessionReferenceId\":").append(reference);
    }
    return body.equals("{}") ? out.append('}').toString() : out.append(',').append(body, 1, body.length()).toString();
  }

  /**
   * A JSON object of string fields, {@code name, value, name, value…} (a null value written as null), as Jackson
   * writes it (same escapes), without building a tree.
   */
  public static String object(String... namesAndValues) {
    StringBuilder out = new StringBuilder(64);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      field(out.append(i == 0 ? '{' : ','), namesAndValues[i], namesAndValues[i + 1]);
    }
    return namesAndValues.length == 0 ? "{}" : out.append('}').toString();
  }

  /** Whether JSON needs no escape in {@code value}: no control character, quote or backslash. */
  private static boolean plain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append('"').append(name).append("\":");
    if (value == null) {
      out.append("null");
      return;
    }
    out.append('"');
    if (plain(value)) {
      out.append(value);  // most ids (replyIds are ≈250 characters) need no escape: no per-character encoding
    } else {
      JsonStringEncoder.getInstance().quoteAsString(value, out);
    }
    out.append('"');
  }

  /** The answer that closes a call we cannot handle (no session, no flow): an apology and hang-up, or a drop. */
  public String apology(String message, String sessionId, String replyId) {
    return write(command(new Reply.Command(List.of(Prompt.say(message)), null, true), null, sessionId, replyId, null));
  }

  public static String drop(String dropCode) {
    return write(new CallAction("drop", null, null, dropCode, null, null, null, null, null, null));
  }

  /** The failsafe forward of a call callflow could not step: to {@code destination}, made a SIP URI. */
  public String failsafeCall(String destination) {
    return write(new CallAction("call", SipAddress.of(destination, sipDomain), null, null, null, null, null, null,
        null, null));
  }

  public static String write(Object answer) {
    try {
      return JSON.writeValueAsString(answer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render answer", e);
    }
  }

  private IvrCommand command(Reply.Command command, Flow.Voice voice, String sessionId, String replyId,
                             JsonNode reference) {
    Reply.Input input = command.input();
    Dtmf dtmf = input == null ? null
        : new Dtmf(true, input.salt() == null ? null : new Encryption("md5", input.salt()), input.maxDigits(),
            input.firstTimeout(), input.betweenTimeout(), input.terminationKey());
    // The call's own choice (a language state) goes over the flow's voice.
    Flow.Voice spoken = command.speech() == null ? voice : command.speech().over(voice);
    List<Phrase> phrases = command.prompts().stream().map(p -> phrase(p, spoken)).toList();
    Prompt hold = command.background();
    Background background = hold != null ? new Background(hold.file(), hold.url(), null)
        : command.stopBackground() ? new Background(null, null, Boolean.TRUE) : null;
    return new IvrCommand(sessionId, replyId, reference, phrases, background, input == null ? null : "all", dtmf,
        command.hangup() ? Boolean.TRUE : null, command.waitSeconds() > 0 ? command.waitSeconds() : null);
  }

  private Phrase phrase(Prompt prompt, Flow.Voice voice) {
    if (prompt.file() != null) {
      return new Phrase("file", prompt.file(), null, null, null, null, null, null);
    }
    if (prompt.url() != null) {
      return new Phrase("url", null, prompt.url(), null, null, null, null, null);
    }
    String engine = voice != null && voice.engine() != null ? voice.engine() : defaults.engine();
    String voiceId = voice != null && voice.voiceId() != null ? voice.voiceId() : defaults.voiceId();
    String language = voice != null && voice.language() != null ? voice.language() : defaults.language();
    // The vendor's phrase cache: the prompt's own setting, else the flow's.
    String timeToLive = prompt.cacheTimeToLive() != null ? prompt.cacheTimeToLive()
        : voice == null ? null : voice.cacheTimeToLive();
    Boolean refresh = prompt.refreshCache() != null ? prompt.refreshCache() : voice == null ? null : voice.refreshCache();
    if ("google".equals(engine)) {
      return new Phrase("googletts", null, null, null, null, googleTts(prompt.say(), voiceId, language), timeToLive,
          refresh);
    }
    return new Phrase("awstts", null, null, defaults.region(),
        new AwsTts(prompt.say(), voiceId, language, "pcm"), null, timeToLive, refresh);
  }

  /**
   * Google Cloud Text-to-Speech's synthesize request, whole: the text, the voice, and the audio (16-bit linear PCM
   * at 8 kHz, as the telephone leg plays it, like Polly's "pcm").
   */
  private static Map<String, Object> googleTts(String text, String voiceId, String language) {
    Map<String, Object> request = new java.util.LinkedHashMap<>();
    request.put("input", Map.of("text", text));
    Map<String, Object> speaker = new java.util.LinkedHashMap<>();
    speaker.put("languageCode", language);
    speaker.put("name", voiceId);
    request.put("voice", speaker);
    Map<String, Object> audio = new java.util.LinkedHashMap<>();
    audio.put("audioEncoding", "LINEAR16");
    audio.put("sampleRateHertz", GOOGLE_SAMPLE_RATE);
    request.put("audioConfig", audio);
    return request;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CallAction(String action, String destAddr, Double maxRingTime, String dropCode, String sipFrom,
                    String displayName, Boolean callRecording, String recordingFileName, Boolean callerPrivacy,
                    JsonNode sessionReferenceId) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record IvrCommand(String sessionId, String replyId, JsonNode sessionReferenceId, List<Phrase> phrases,
                    Background backgroundPrompt, String bargeIn, Dtmf dtmf, Boolean hangup,
                    @JsonProperty("getIVRCommandAfter") Integer getIVRCommandAfter) {
  }

  /** Audio between commands: a prompt-storage file or a url; or {@code stop} to end the one playing. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Background(String fileName, String url, Boolean stop) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Dtmf(boolean flush, Encryption encryption, int maxDigits, int firstTimeout, int betweenTimeout,
              String terminationKey) {
  }

  /** The vendor's dtmf.encryption: the digits come back as md5 of {@code salt} + digits (DtmfHash). */
  record Encryption(String type, String salt) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Phrase(String format, String fileName, String url, String region, AwsTts awsTTSParameters,
                Map<String, Object> googleTTSParameters, String cacheTimeToLive, Boolean refreshCache) {
  }

  /** Polly's SynthesizeSpeech parameter names, capitalised as the vendor passes them through. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record AwsTts(String Text, String VoiceId, String LanguageCode, String OutputFormat) {
  }
}
