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
  @JsonSubTypes.Type(value = State.Hangup.class, name = "hangup")
})
public sealed interface State {

  int DEFAULT_TIMEOUT_SECONDS = 5;
  int DEFAULT_BETWEEN_TIMEOUT_SECONDS = 3;

  /** Every state id this state can lead to, for validation and diagrams. */
  List<String> targets();

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
        throw new IllegalArgumentException("a menu has at least one option");
      }
      for (String key : options.keySet()) {
        if (!key.matches("[0-9*#]{1,16}")) {
          throw new IllegalArgumentException("menu option '" + key + "' is not 1-16 of 0-9, * and #");
        }
      }
    }

    /** As many digits as the longest option. */
    int maxDigits() {
      return options.keySet().stream().mapToInt(String::length).max().orElse(1);
    }

    /** '#' ends multi-digit input early, unless an option uses '#' itself. */
    String terminationKey() {
      boolean hashUsed = options.keySet().stream().anyMatch(k -> k.contains("#"));
      return maxDigits() > 1 && !hashUsed ? "#" : null;
    }

    @Override
    public List<String> targets() {
      return Targets.of(options.values(), noInput.exitOrFailsafe(), invalid.exitOrFailsafe());
    }
  }

  /** Prompt, then a number of digits stored in {@code variable}; {@code secret} masks it in logs and reports. */
  record Collect(List<Prompt> prompt, String variable, Integer minDigits, Integer maxDigits, String terminator,
                 Integer timeout, Integer betweenTimeout, Boolean secret, String next,
                 Retry noInput, Retry invalid) implements State {
    public Collect {
      prompt = List.copyOf(prompt);
      minDigits = minDigits == null ? 1 : minDigits;
      maxDigits = maxDigits == null ? 20 : maxDigits;
      terminator = terminator == null ? "#" : terminator;
      secret = secret != null && secret;
      noInput = Retry.orDefault(noInput);
      invalid = Retry.orDefault(invalid);
      if (minDigits < 1 || maxDigits < minDigits || maxDigits > 64) {
        throw new IllegalArgumentException("collect needs 1 <= minDigits <= maxDigits <= 64");
      }
    }

    @Override
    public List<String> targets() {
      return Targets.of(List.of(next), noInput.exitOrFailsafe(), invalid.exitOrFailsafe());
    }
  }

  /** Prompt without input, then {@code next}. */
  record Play(List<Prompt> prompt, String next) implements State {
    public Play {
      prompt = List.copyOf(prompt);
    }

    @Override
    public List<String> targets() {
      return List.of(next);
    }
  }

  /**
   * Connect the caller to {@code destination}. From inside the IVR, {@code prompt} is played first. Exits:
   * {@code busy} (486/600/603), {@code noAnswer} (408/480/487 or ring timeout), {@code failed} (anything else),
   * {@code after} (the callee hung up after talking). A missing exit ends the call.
   */
  record Forward(String destination, Integer ringTime, String sipFrom, String displayName, List<Prompt> prompt,
                 String busy, String noAnswer, String failed, String after) implements State {
    static final int DEFAULT_RING_TIME_SECONDS = 30;

    public Forward {
      prompt = prompt == null ? List.of() : List.copyOf(prompt);
      ringTime = ringTime == null ? DEFAULT_RING_TIME_SECONDS : ringTime;
      if (ringTime < 1 || ringTime > 600) {
        throw new IllegalArgumentException("ringTime must be 1-600 seconds");
      }
    }

    @Override
    public List<String> targets() {
      return Targets.of(java.util.Arrays.asList(busy, noAnswer, failed, after));
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
    public List<String> targets() {
      return Targets.of(java.util.Arrays.asList(open, closed, holiday));
    }
  }

  /** The first case whose condition holds decides the next state, else {@code otherwise}. */
  record Branch(List<Case> cases, String otherwise) implements State {
    public Branch {
      cases = List.copyOf(cases);
    }

    @Override
    public List<String> targets() {
      return Targets.of(cases.stream().map(Case::next).toList(), otherwise);
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
    public List<String> targets() {
      return List.of(next);
    }
  }

  /** Optionally say goodbye, then end the call; {@code dropCode} qualifies a hang-up before the IVR answered. */
  record Hangup(List<Prompt> prompt, String dropCode) implements State {
    public Hangup {
      prompt = prompt == null ? List.of() : List.copyOf(prompt);
    }

    @Override
    public List<String> targets() {
      return List.of();
    }
  }
}
