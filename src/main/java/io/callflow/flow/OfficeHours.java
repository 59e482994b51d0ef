package io.callflow.flow;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Weekly opening ranges ("08:00-17:00", end exclusive, "24:00" allowed as an end) keyed by mon..sun, and holidays
 * as "2026-12-24" (one date) or "12-25" (every year), evaluated in the state's time zone.
 */
final class OfficeHours {

  enum Verdict { OPEN, CLOSED, HOLIDAY }

  private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  private OfficeHours() {
  }

  /**
   * Rejects what cannot be evaluated, naming every bad value at once (a bad zone, day, time and holiday are
   * reported together), each at its key.
   */
  static void check(String timezone, Map<String, List<String>> weekly, List<String> holidays) {
    List<InvalidFields.Problem> problems = new ArrayList<>();
    collect(problems, "/timezone", () -> zone(timezone));
    if (weekly == null) {
      problems.add(new InvalidFields.Problem("/weekly", "hours needs weekly ranges"));
    } else {
      weekly.forEach((day, ranges) -> {
        String at = "/weekly/" + JsonPointers.token(day);
        if (!DAYS.contains(day)) {
          problems.add(new InvalidFields.Problem(at, "unknown day '" + day + "', expected one of " + DAYS));
        }
        for (int i = 0; ranges != null && i < ranges.size(); i++) {
          String range = ranges.get(i);
          collect(problems, at + "/" + i, () -> range(range));
        }
      });
    }
    for (int i = 0; i < holidays.size(); i++) {
      String holiday = holidays.get(i);
      collect(problems, "/holidays/" + i, () -> holidayMatches(holiday));
    }
    if (!problems.isEmpty()) {
      throw new InvalidFields(problems);
    }
  }

  private static void collect(List<InvalidFields.Problem> problems, String pointer, Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      problems.add(new InvalidFields.Problem(pointer, e.getMessage()));
    }
  }

  static Verdict at(State.Hours hours, Instant now) {
    ZonedDateTime local = now.atZone(zone(hours.timezone()));
    for (String holiday : hours.holidays()) {
      if (holidayMatches(holiday).test(local)) {
        return Verdict.HOLIDAY;
      }
    }
    String day = DAYS.get(local.getDayOfWeek().getValue() - 1);
    LocalTime time = local.toLocalTime();
    for (String range : hours.weekly().getOrDefault(day, List.of())) {
      int[] minutes = range(range);
      int minute = time.getHour() * 60 + time.getMinute();
      if (minute >= minutes[0] && minute < minutes[1]) {
        return Verdict.OPEN;
      }
    }
    return Verdict.CLOSED;
  }

  private static ZoneId zone(String timezone) {
    try {
      return ZoneId.of(timezone);
    } catch (DateTimeException | NullPointerException e) {
      throw new IllegalArgumentException("unknown time zone '" + timezone + "' (use an IANA name like Europe/Stockholm)");
    }
  }

  /** Start and end of "HH:MM-HH:MM" in minutes of the day. */
  private static int[] range(String range) {
    String[] parts = range.split("-", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("bad time range '" + range + "', expected HH:MM-HH:MM");
    }
    int start = minuteOfDay(parts[0], range);
    int end = "24:00".equals(parts[1].trim()) ? 24 * 60 : minuteOfDay(parts[1], range);
    if (end <= start) {
      throw new IllegalArgumentException("time range '" + range + "' ends before it starts");
    }
    return new int[] {start, end};
  }

  private static int minuteOfDay(String text, String range) {
    try {
      LocalTime time = LocalTime.parse(text.trim());
      return time.getHour() * 60 + time.getMinute();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad time '" + text.trim() + "' in range '" + range + "', expected HH:MM");
    }
  }

  private interface DateTest {
    boolean test(ZonedDateTime local);
  }

  private static DateTest holidayMatches(String holiday) {
    try {
      if (holiday.length() == 5) {
        MonthDay day = MonthDay.parse("--" + holiday);
        return local -> MonthDay.from(local).equals(day);
      }
      java.time.LocalDate date = java.time.LocalDate.parse(holiday);
      return local -> local.toLocalDate().equals(date);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad holiday '" + holiday + "', expected YYYY-MM-DD or MM-DD");
    }
  }
}
