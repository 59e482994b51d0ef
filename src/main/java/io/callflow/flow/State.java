package io.callflow.flow;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One step of a flow. The JSON property {@code type} picks the case; the state's id is its key in the flow. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = State.Menu.class, name = "menu"),
  @JsonSubTypes.Type(value = State.Collect.class, name = "collect"),
  @JsonSubTypes.Type(value = State.Play.class, name = "play"),
  @JsonSubTypes.Type(value = State.Forward.class, name = "forward"),
  @JsonSubTypes.Type(value = State.Hours.class, name = "hours"),
  @JsonSubTypes.Type(value = State.Branch.class, name = "branch"),
  @JsonSubTypes.Type(value = State.Set.class, name = "set"),
  @JsonSubTypes.Type(value = State.Hangup.class, name = "hangup"),
  @JsonSubTypes.Type(value = State.Record.class, name = "record"),
  @JsonSubTypes.Type(value = State.Http.class, name = "http"),
  @JsonSubTypes.Type(value = State.Language.class, name = "language")
})
public sealed interface State {

  int DEFAULT_TIMEOUT_SECONDS = 5;
  int DEFAULT_BETWEEN_TIMEOUT_SECONDS = 3;

  /** Its name in flow files, the JSON property {@code type}: "menu", "collect" … */
  String type();

  /** Its ways out, each with why it is taken and where it leads; a missing target ends the call there. */
  List<Exit> exits();

  /** Every state id this state can lead to, for validation and diagrams. */
  default List<String> targets() {
    return exits().stream().map(Exit::target).filter(java.util.Objects::nonNull).distinct().toList();
  }

  /**
   * Whether a call here may end, or fall to the failsafe, whatever its exits lead to: a hangup, a forward with a
   * missing exit, a menu whose tries run out, a branch without otherwise.
   */
  boolean mayEnd();

  /** The options a caller selects by key here, key to target state: a menu's; none elsewhere. */
  default Map<String, String> options() {
    return Map.of();
  }

  /** Keys a caller may press here that together take each of its ways out (empty: it takes no keys). */
  List<String> inputs();

  /** Every prompt this state can render: the main one, reprompts, retry prompts, hold music. */
  List<Prompt> prompts();

  /** Every variable this state sets, with what its value is made of. */
  List<Assignment> assigns();

  /** The variables and caller data this state reads: placeholders in its prompts and texts, names it tests. */
  List<String> reads();

  /** The conditions it tests, in the order of its cases (empty: it tests none). */
  default List<Condition> conditions() {
    return List.of();
  }

  /**
   * Whether it picks the next state by itself, without the caller, the IVR or the network (a call registered by
   * getCallIdentifier starts there, and a loop of only such states is unbounded).
   */
  boolean decidesAlone();

  /** The case of this state, for whoever must treat each type differently. */
  <R> R accept(Visitor<R> visitor);

  /** One method per state type, so that a new type makes the compiler name every place that must handle it. */
  interface Visitor<R> {
    R menu(Menu menu);

    R collect(Collect collect);

    R play(Play play);

    R forward(Forward forward);

    R hours(Hours hours);

    R branch(Branch branch);

    R set(Set set);

    R hangup(Hangup hangup);

    R record(Record record);

    R http(Http http);

    R language(Language language);
  }

  /**
   * A way out of a state: {@code name} as the flow file names it (an option's key, "noInput", "busy", "next" …),
   * {@code label} for diagrams (null: the one way on), {@code target} the state it leads to (null: none), and
   * {@code taken} the trail's kind of entry that shows a call took it (null: the trail does not show it).
   */
  record Exit(String name, String label, String target, Activity.Kind taken) {
    static Exit next(String target) {
      return new Exit("next", null, target, null);
    }

    static List<Exit> retries(Retry noInput, Retry invalid) {
      return List.of(new Exit("noInput", "no input", noInput.exitOrFailsafe(), Activity.Kind.NO_INPUT_EXHAUSTED),
          new Exit("invalid", "invalid", invalid.exitOrFailsafe(), Activity.Kind.INVALID_EXHAUSTED));
    }
  }

  /**
   * A variable a state sets: its {@code name}, the variables its value is made {@code from}, whether it holds the
   * caller's {@code secret} input, and the one exit it is set on ({@code only}; null: on all of them).
   */
  record Assignment(String name, List<String> from, boolean secret, String only) {
    public Assignment {
      from = List.copyOf(from);
    }

    Assignment(String name, List<String> from, boolean secret) {
      this(name, from, secret, null);
    }

    /** Whether a call that leaves for {@code target} has it set. */
    boolean setOn(String target) {
      return only == null || only.equals(target);
    }
  }

  /** The placeholder names in {@code prompts} and {@code texts} (nulls skipped), in order, each once. */
  private static List<String> placeholders(List<Prompt> prompts, String... texts) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    prompts.forEach(p -> names.addAll(Template.names(p.text())));
    for (String text : texts) {
      names.addAll(Template.names(text));
    }
    return List.copyOf(names);
  }

  private static List<Prompt> prompts(List<Prompt> main, Retry noInput, Retry invalid, List<Prompt> reprompt) {
    List<Prompt> all = new java.util.ArrayList<>(main);
    all.addAll(reprompt);
    all.addAll(noInput.prompt());
    all.addAll(invalid.prompt());
    return List.copyOf(all);
  }

  /** Prompt, then one key or several keys chosen from {@code options} (digits, '*' or '#') leading to states. */
  record Menu(List<Prompt> prompt, Map<String, String> options, List<Prompt> reprompt, Integer timeout,
              Retry noInput, Retry invalid) implements State {
    public Menu {
      prompt = List.copyOf(prompt);
      options = new LinkedHashMap<>(options);
      reprompt = reprompt == null ? prompt : List.copyOf(reprompt);
      noInput = Retry.orDefault(noInput);
      invalid = Retry.orDefault(invalid);
      if (options.isEmpty()) {
        throw InvalidFields.at("options", "a menu has at least one option");
      }
      for (String key : options.keySet()) {
        if (!key.matches("[0-9*#]{1,16}")) {
          throw InvalidFields.at("/options/" + JsonPointers.token(key), "menu option '" + key + "' is not 1-16 of 0-9, * and #");
        }
      }
    }

    /** As many digits as the longest option. */
    int maxDigits() {
      int longest = 1;
      for (String key : options.keySet()) {
        longest = Math.max(longest, key.length());
      }
      return longest;
    }

    /** '#' ends multi-digit input early, unless an option uses '#' itself. */
    String terminationKey() {
      for (String key : options.keySet()) {
        if (key.contains("#")) {
          return null;
        }
      }
      return maxDigits() > 1 ? "#" : null;
    }

    @Override
    public String type() {
      return "menu";
    }

    @Override
    public List<Exit> exits() {
      List<Exit> exits = new java.util.ArrayList<>();
      options.forEach((key, target) -> exits.add(new Exit(key, "press " + key, target, Activity.Kind.SELECTED)));
      exits.addAll(Exit.retries(noInput, invalid));
      return exits;
    }

    @Override
    public boolean mayEnd() {
      return true;
    }

    /** Every option (ended by '#' where the menu waits for more digits), and one key no option uses. */
    @Override
    public List<String> inputs() {
      List<String> keys = new java.util.ArrayList<>();
      options.keySet().forEach(k -> keys.add(maxDigits() > 1 && terminationKey() != null ? k + "#" : k));
      "0123456789*#".chars().mapToObj(c -> String.valueOf((char) c)).filter(k -> !options.containsKey(k))
          .findFirst().ifPresent(keys::add);
      return keys;
    }

    @Override
    public List<Prompt> prompts() {
      return State.prompts(prompt, noInput, invalid, reprompt);
    }

    @Override
    public List<Assignment> assigns() {
      return List.of();
    }

    @Override
    public List<String> reads() {
      return placeholders(prompts());
    }

    @Override
    public boolean decidesAlone() {
      return false;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.menu(this);
    }
  }

  /**
   * Prompt, then a number of digits stored in {@code variable}; {@code secret} masks it in logs and reports;
   * {@code encrypt} has the mediaservice hash the digits ({@link DtmfHash}), so the clear digits never reach
   * callflow and only the mediaservice checks their count (maxDigits).
   */
  record Collect(List<Prompt> prompt, String variable, Integer minDigits, Integer maxDigits, String terminator,
                 Integer timeout, Integer betweenTimeout, Boolean secret, Boolean encrypt, String next,
                 Retry noInput, Retry invalid) implements State {
    public Collect {
      prompt = List.copyOf(prompt);
      minDigits = minDigits == null ? 1 : minDigits;
      maxDigits = maxDigits == null ? 20 : maxDigits;
      terminator = terminator == null ? "#" : terminator;
      encrypt = encrypt != null && encrypt;
      // Hashed digits are a secret too: masked wherever the variable shows.
      secret = secret != null && secret || encrypt;
      noInput = Retry.orDefault(noInput);
      invalid = Retry.orDefault(invalid);
      if (minDigits < 1 || maxDigits < minDigits || maxDigits > 64) {
        throw InvalidFields.at(minDigits < 1 ? "minDigits" : "maxDigits", "collect needs 1 <= minDigits <= maxDigits <= 64");
      }
    }

    @Override
    public String type() {
      return "collect";
    }

    @Override
    public List<Exit> exits() {
      List<Exit> exits = new java.util.ArrayList<>(List.of(new Exit("next", variable, next, null)));
      exits.addAll(Exit.retries(noInput, invalid));
      return exits;
    }

    @Override
    public boolean mayEnd() {
      return true;
    }

    /** A valid entry, and one too short (or too long). */
    @Override
    public List<String> inputs() {
      return List.of("1".repeat(minDigits) + terminator,
          minDigits > 1 ? "1" + terminator : "1".repeat(maxDigits + 1));
    }

    @Override
    public List<Prompt> prompts() {
      return State.prompts(prompt, noInput, invalid, List.of());
    }

    @Override
    public List<Assignment> assigns() {
      return List.of(new Assignment(variable, List.of(), secret));
    }

    @Override
    public List<String> reads() {
      return placeholders(prompts());
    }

    @Override
    public boolean decidesAlone() {
      return false;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.collect(this);
    }
  }

  /** Prompt without input, then {@code next}. */
  record Play(List<Prompt> prompt, String next) implements State {
    public Play {
      prompt = List.copyOf(prompt);
    }

    @Override
    public String type() {
      return "play";
    }

    @Override
    public List<Exit> exits() {
      return List.of(Exit.next(next));
    }

    @Override
    public boolean mayEnd() {
      return false;
    }

    @Override
    public List<String> inputs() {
      return List.of();
    }

    @Override
    public List<Prompt> prompts() {
      return prompt;
    }

    @Override
    public List<Assignment> assigns() {
      return List.of();
    }

    @Override
    public List<String> reads() {
      return placeholders(prompt);
    }

    @Override
    public boolean decidesAlone() {
      return false;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.play(this);
    }
  }

  /**
   * Connect the caller to {@code destination}. From inside the IVR, {@code prompt} is played first. Exits:
   * {@code busy} (486/600/603), {@code noAnswer} (408/480/487 or ring timeout), {@code failed} (anything else),
   * {@code after} (the callee hung up after talking). A missing exit ends the call. With {@code record} the
   * mediaservice records the connected call into {@code recordingFile}.
   */
  record Forward(String destination, Integer ringTime, String sipFrom, String displayName, List<Prompt> prompt,
                 String busy, String noAnswer, String failed, String after, Boolean record, String recordingFile)
      implements State {
    static final int DEFAULT_RING_TIME_SECONDS = 30;

    public Forward {
      prompt = prompt == null ? List.of() : List.copyOf(prompt);
      ringTime = ringTime == null ? DEFAULT_RING_TIME_SECONDS : ringTime;
      record = record != null && record;
      recordingFile = recordingFile == null ? "call-${callId}.wav" : recordingFile;
      if (ringTime < 1 || ringTime > 600) {
        throw InvalidFields.at("ringTime", "ringTime must be 1-600 seconds");
      }
    }

    /** A forward without recording, as the failsafe makes. */
    static Forward to(String destination, List<Prompt> prompt) {
      return new Forward(destination, null, null, null, prompt, null, null, null, null, null, null);
    }

    @Override
    public String type() {
      return "forward";
    }

    @Override
    public List<Exit> exits() {
      return List.of(new Exit("busy", "busy", busy, Activity.Kind.BUSY), new Exit("noAnswer", "no answer", noAnswer, Activity.Kind.NO_ANSWER),
          new Exit("failed", "failed", failed, Activity.Kind.FAILED), new Exit("after", "after", after, Activity.Kind.CALLEE_HANGUP));
    }

    @Override
    public boolean mayEnd() {
      return true;
    }

    @Override
    public List<String> inputs() {
      return List.of();
    }

    @Override
    public List<Prompt> prompts() {
      return prompt;
    }

    @Override
    public List<Assignment> assigns() {
      return List.of();
    }

    @Override
    public List<String> reads() {
      return placeholders(prompt, destination, sipFrom, displayName);
    }

    @Override
    public boolean decidesAlone() {
      return false;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.forward(this);
    }
  }

  /** Route by the time of day in {@code timezone}: {@code open}, {@code closed}, or {@code holiday} (default closed). */
  record Hours(String timezone, Map<String, List<String>> weekly, List<String> holidays,
               String open, String closed, String holiday) implements State {
    public Hours {
      holidays = holidays == null ? List.of() : List.copyOf(holidays);
      OfficeHours.check(timezone, weekly, holidays);
    }

    @Override
    public String type() {
      return "hours";
    }

    @Override
    public List<Exit> exits() {
      return List.of(new Exit("open", "open", open, null), new Exit("closed", "closed", closed, null),
          new Exit("holiday", "holiday", holiday, null));
    }

    /** Without open or closed some times lead nowhere, and the engine sends those calls to the failsafe. */
    @Override
    public boolean mayEnd() {
      return open == null || closed == null;
    }

    @Override
    public List<String> inputs() {
      return List.of();
    }

    @Override
    public List<Prompt> prompts() {
      return List.of();
    }

    @Override
    public List<Assignment> assigns() {
      return List.of();
    }

    @Override
    public List<String> reads() {
      return List.of();
    }

    @Override
    public boolean decidesAlone() {
      return true;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.hours(this);
    }
  }

  /** The first case whose condition holds decides the next state, else {@code otherwise}. */
  record Branch(List<Case> cases, String otherwise) implements State {
    public Branch {
      cases = List.copyOf(cases);
    }

    @Override
    public List<Condition> conditions() {
      return cases.stream().map(Case::when).toList();
    }

    @Override
    public String type() {
      return "branch";
    }

    @Override
    public List<Exit> exits() {
      List<Exit> exits = new java.util.ArrayList<>();
      for (int i = 0; i < cases.size(); i++) {
        exits.add(new Exit("cases/" + i, cases.get(i).when().var(), cases.get(i).next(), null));
      }
      exits.add(new Exit("otherwise", "otherwise", otherwise, null));
      return exits;
    }

    /** Without otherwise a call no case matches goes to the failsafe. */
    @Override
    public boolean mayEnd() {
      return otherwise == null;
    }

    @Override
    public List<String> inputs() {
      return List.of();
    }

    @Override
    public List<Prompt> prompts() {
      return List.of();
    }

    @Override
    public List<Assignment> assigns() {
      return List.of();
    }

    /** A "present" test asks whether the variable is set, so it is no read of an unset one. */
    @Override
    public List<String> reads() {
      return cases.stream().filter(c -> c.when().present() == null).map(c -> c.when().var()).distinct().toList();
    }

    @Override
    public boolean decidesAlone() {
      return true;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.branch(this);
    }
  }

  /** One branch case. */
  record Case(Condition when, String next) {
  }

  /** Assign variables (values may use ${...}), then {@code next}. */
  record Set(Map<String, String> vars, String next) implements State {
    public Set {
      vars = new LinkedHashMap<>(vars);
    }

    @Override
    public String type() {
      return "set";
    }

    @Override
    public List<Exit> exits() {
      return List.of(Exit.next(next));
    }

    @Override
    public boolean mayEnd() {
      return false;
    }

    @Override
    public List<String> inputs() {
      return List.of();
    }

    @Override
    public List<Prompt> prompts() {
      return List.of();
    }

    @Override
    public List<Assignment> assigns() {
      return vars.entrySet().stream()
          .map(v -> new Assignment(v.getKey(), Template.names(v.getValue()), false)).toList();
    }

    @Override
    public List<String> reads() {
      return placeholders(List.of(), vars.values().toArray(String[]::new));
    }

    @Override
    public boolean decidesAlone() {
      return true;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.set(this);
    }
  }

  /** Optionally say goodbye, then end the call; {@code dropCode} qualifies a hang-up before the IVR answered. */
  record Hangup(List<Prompt> prompt, String dropCode) implements State {
    public Hangup {
      prompt = prompt == null ? List.of() : List.copyOf(prompt);
    }

    @Override
    public String type() {
      return "hangup";
    }

    @Override
    public List<Exit> exits() {
      return List.of();
    }

    @Override
    public boolean mayEnd() {
      return true;
    }

    @Override
    public List<String> inputs() {
      return List.of();
    }

    @Override
    public List<Prompt> prompts() {
      return prompt;
    }

    @Override
    public List<Assignment> assigns() {
      return List.of();
    }

    @Override
    public List<String> reads() {
      return placeholders(prompt);
    }

    @Override
    public boolean decidesAlone() {
      return false;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.hangup(this);
    }
  }

  /**
   * Voicemail: play {@code prompt}, record the caller into {@code file} for up to {@code maxSeconds} or until
   * {@code stopKey}, then {@code next}. {@code failed} is taken when the recording cannot start (default: failsafe).
   */
  record Record(List<Prompt> prompt, String file, Integer maxSeconds, String stopKey, String next, String failed)
      implements State {
    static final int DEFAULT_MAX_SECONDS = 60;

    public Record {
      prompt = prompt == null ? List.of() : List.copyOf(prompt);
      file = file == null ? "voicemail-${callId}.wav" : file;
      maxSeconds = maxSeconds == null ? DEFAULT_MAX_SECONDS : maxSeconds;
      stopKey = stopKey == null ? "#" : stopKey;
      if (maxSeconds < 1 || maxSeconds > 600) {
        throw InvalidFields.at("maxSeconds", "maxSeconds must be 1-600");
      }
    }

    /** Where to go when the recording cannot be made. */
    String failedOrFailsafe() {
      return failed == null ? Flow.FAILSAFE : failed;
    }

    @Override
    public String type() {
      return "record";
    }

    @Override
    public List<Exit> exits() {
      return List.of(new Exit("next", "recorded", next, null), new Exit("failed", "failed", failedOrFailsafe(), null));
    }

    @Override
    public boolean mayEnd() {
      return false;
    }

    @Override
    public List<String> inputs() {
      return List.of();
    }

    @Override
    public List<Prompt> prompts() {
      return prompt;
    }

    @Override
    public List<Assignment> assigns() {
      return List.of();
    }

    @Override
    public List<String> reads() {
      return placeholders(prompt, file);
    }

    @Override
    public boolean decidesAlone() {
      return false;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.record(this);
    }
  }

  /**
   * Call an external system: {@code method} {@code url} with {@code headers} and {@code body} (all may use ${}),
   * waiting at most {@code timeout} seconds while the caller hears {@code prompt} and then {@code hold}; JSON fields
   * of a 2xx answer go into variables by JSON Pointer ({@code map}), then {@code ok}; anything else leads to
   * {@code error} (default: failsafe).
   */
  record Http(String method, String url, Map<String, String> headers, String body, Integer timeout,
              Map<String, String> map, List<Prompt> prompt, Prompt hold, String ok, String error) implements State {
    static final int DEFAULT_TIMEOUT_SECONDS = 3;
    static final int MAX_TIMEOUT_SECONDS = 10;

    public Http {
      method = method == null ? "GET" : method;
      headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
      map = map == null ? Map.of() : new LinkedHashMap<>(map);
      prompt = prompt == null ? List.of() : List.copyOf(prompt);
      timeout = timeout == null ? DEFAULT_TIMEOUT_SECONDS : timeout;
      if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
        throw InvalidFields.at("timeout", "timeout must be 1-" + MAX_TIMEOUT_SECONDS + " seconds");
      }
      if (hold != null && hold.say() != null) {
        throw InvalidFields.at("hold", "hold is played as a background prompt: a file or a url, not say");
      }
      for (Map.Entry<String, String> entry : map.entrySet()) {
        String pointer = entry.getValue();
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
          throw InvalidFields.at("/map/" + JsonPointers.token(entry.getKey()), "map value '" + pointer + "' is not a JSON Pointer (e.g. /customer/tier)");
        }
      }
    }

    String errorOrFailsafe() {
      return error == null ? Flow.FAILSAFE : error;
    }

    @Override
    public String type() {
      return "http";
    }

    @Override
    public List<Exit> exits() {
      return List.of(new Exit("ok", "ok", ok, Activity.Kind.HTTP_OK), new Exit("error", "error", errorOrFailsafe(), Activity.Kind.HTTP_ERROR));
    }

    @Override
    public boolean mayEnd() {
      return false;
    }

    @Override
    public List<String> inputs() {
      return List.of();
    }

    @Override
    public List<Prompt> prompts() {
      return hold == null ? prompt : java.util.stream.Stream.concat(prompt.stream(), java.util.stream.Stream.of(hold))
          .toList();
    }

    /** Every mapped variable comes from the answer to a request built from what it reads, and is set on ok only. */
    @Override
    public List<Assignment> assigns() {
      List<String> request = placeholders(List.of(), requestTexts());
      return map.keySet().stream().map(name -> new Assignment(name, request, false, ok)).toList();
    }

    @Override
    public List<String> reads() {
      return placeholders(prompts(), requestTexts());
    }

    private String[] requestTexts() {
      List<String> texts = new java.util.ArrayList<>(java.util.Arrays.asList(method, url));
      texts.addAll(headers.values());
      texts.add(body);
      return texts.toArray(String[]::new);
    }

    @Override
    public boolean decidesAlone() {
      return false;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.http(this);
    }
  }

  /**
   * Speak to the caller in another {@code language} (a BCP 47 tag such as sv-SE) and {@code voice} (the TTS voice
   * id), and take prompt files from {@code folder}, for the rest of the call; then {@code next}. A part left out
   * keeps what the call had: the flow's voice, or an earlier language state's choice.
   */
  record Language(String language, String voice, String folder, String next) implements State {
    private static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile("[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*");
    private static final java.util.regex.Pattern FOLDER = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public Language {
      if (language == null && voice == null && folder == null) {
        throw new IllegalArgumentException("a language state sets at least one of language, voice and folder");
      }
      if (language != null && !TAG.matcher(language).matches()) {
        throw InvalidFields.at("language", "language '" + language + "' is not a language tag such as sv-SE");
      }
      if (folder != null && !FOLDER.matcher(folder).matches()) {
        throw InvalidFields.at("folder", "folder '" + folder + "' is not 1-64 of letters, digits, _ and -");
      }
    }

    /** What the call speaks from here on. */
    Speech speech() {
      return new Speech(language, voice, folder);
    }

    @Override
    public String type() {
      return "language";
    }

    @Override
    public List<Exit> exits() {
      return List.of(Exit.next(next));
    }

    @Override
    public boolean mayEnd() {
      return false;
    }

    @Override
    public List<String> inputs() {
      return List.of();
    }

    @Override
    public List<Prompt> prompts() {
      return List.of();
    }

    @Override
    public List<Assignment> assigns() {
      return List.of();
    }

    @Override
    public List<String> reads() {
      return List.of();
    }

    @Override
    public boolean decidesAlone() {
      return true;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.language(this);
    }
  }
}
