package io.callflow.report;

import io.callflow.flow.Activity;
import io.callflow.flow.EndReason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What an operator wants from a pile of activity records, per flow: how many calls, how they ended, the transfer
 * rate, how many calls reached each state and how many ended there (the funnel and its drop-off), and which menu
 * options were chosen most. A record delivered twice (same id) counts once. {@code period} is the time the records
 * cover: from the start of the first call to the end of the last (null without records).
 */
public record Summary(int records, int duplicates, Period period, List<FlowSummary> flows) {

  /** From the start of the earliest call to the end of the latest, in UTC (ISO-8601). */
  public record Period(String from, String to) {

    static Period of(Collection<ActivityRecord> records) {
      return records.isEmpty() ? null : new Period(
          java.time.Instant.ofEpochMilli(records.stream().mapToLong(ActivityRecord::startedAt).min().orElseThrow()).toString(),
          java.time.Instant.ofEpochMilli(records.stream().mapToLong(ActivityRecord::endedAt).max().orElseThrow()).toString());
    }

    /** "2026-11-23 09:00:00 UTC to 2026-11-23 17:59:59 UTC": to the second, for people. */
    public String readable() {
      return readableFrom() + " to " + readableTo();
    }

    public String readableFrom() {
      return seconds(from);
    }

    public String readableTo() {
      return seconds(to);
    }

    private static String seconds(String instant) {
      return java.time.Instant.parse(instant).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()
          .replace('T', ' ').replace("Z", " UTC");
    }
  }

  /** One flow: {@code endings} counts calls by the kind of their ending. */
  public record FlowSummary(String flow, int calls, int transferred, Map<String, Integer> endings,
                            List<StateRow> states, List<OptionRow> options) {

    public double transferRate() {
      return calls == 0 ? 0 : (double) transferred / calls;
    }
  }

  /** A state of the funnel: calls that entered it at least once, and calls that ended there, by how. */
  public record StateRow(String state, int entered, int callerHungUp, int transferred, int otherEnded) {

    public int ended() {
      return callerHungUp + transferred + otherEnded;
    }
  }

  /** A menu option and how often callers chose it. */
  public record OptionRow(String menu, String key, String next, int chosen) {
  }

  public static Summary of(Collection<ActivityRecord> records) {
    Map<String, ActivityRecord> unique = new LinkedHashMap<>();
    records.forEach(r -> unique.putIfAbsent(r.id(), r));
    Map<String, List<ActivityRecord>> byFlow = new TreeMap<>();
    unique.values().forEach(r -> byFlow.computeIfAbsent(String.valueOf(r.flow()), f -> new ArrayList<>()).add(r));
    List<FlowSummary> flows = byFlow.entrySet().stream().map(e -> flow(e.getKey(), e.getValue())).toList();
    return new Summary(unique.size(), records.size() - unique.size(), Period.of(unique.values()), flows);
  }

  private static FlowSummary flow(String flow, List<ActivityRecord> calls) {
    Map<String, Integer> endings = new TreeMap<>();
    Map<String, int[]> states = new LinkedHashMap<>();
    Map<String, Integer> options = new LinkedHashMap<>();
    Map<String, String[]> optionNames = new LinkedHashMap<>();
    int transferred = 0;
    for (ActivityRecord call : calls) {
      ActivityRecord.Ending ending = call.ending();
      endings.merge(ending.kind(), 1, Integer::sum);
      transferred += ending.transferred() ? 1 : 0;
      Set<String> entered = new LinkedHashSet<>();
      call.events().stream().filter(e -> Activity.Kind.ENTERED.is(e.kind())).forEach(e -> entered.add(e.state()));
      entered.forEach(state -> states.computeIfAbsent(state, s -> new int[4])[0]++);
      int[] end = states.computeIfAbsent(String.valueOf(ending.state()), s -> new int[4]);
      end[EndReason.CALLER_HANGUP.is(ending.kind()) ? 1 : ending.transferred() ? 2 : 3]++;
      for (ActivityRecord.MenuVisit visit : call.menus()) {
        if (visit.selection() != null) {
          String key = visit.menu() + "\u0000" + visit.selection();
          options.merge(key, 1, Integer::sum);
          optionNames.putIfAbsent(key, new String[] {visit.menu(), visit.selection(), visit.next()});
        }
      }
    }
    List<StateRow> rows = states.entrySet().stream()
        .map(e -> new StateRow(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getValue()[3]))
        .sorted(Comparator.comparingInt(StateRow::entered).reversed())
        .toList();
    List<OptionRow> chosen = options.entrySet().stream()
        .map(e -> {
          String[] names = optionNames.get(e.getKey());
          return new OptionRow(names[0], names[1], names[2], e.getValue());
        })
        .sorted(Comparator.comparingInt(OptionRow::chosen).reversed())
        .toList();
    return new FlowSummary(flow, calls.size(), transferred, endings, rows, chosen);
  }
}
