package io.callflow.report;

import io.callflow.cli.ReportCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.report.ActivityRecord.Ending;
import io.callflow.report.ActivityRecord.Event;
import io.callflow.report.ActivityRecord.MenuVisit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {

  @TempDir
  Path dir;

  /** A call on "shop" that went main → the states given, and ended as given. */
  private static ActivityRecord call(int n, String flow, String key, String next, Ending ending, String... states) {
    List<Event> events = new ArrayList<>();
    events.add(new Event(n, "main", "entered", null));
    Arrays.stream(states).forEach(s -> events.add(new Event(n, s, "entered", null)));
    List<MenuVisit> menus = List.of(new MenuVisit("main", n, key, next, 0, 0));
    return new ActivityRecord(ActivityRecord.SCHEMA_VERSION, "id-" + flow + n, "call-" + n, flow, "v1", "INBOUND", "+4670000000" + n, "+468", n,
        n + 1000, menus, Map.of(), List.of(), ending, List.of(), events);
  }

  private static Ending hungUp(String state) {
    return new Ending("callerHangup:" + state, "callerHangup", state, state, null);
  }

  /** The records file the report tests read: six calls, one delivered twice, one line torn by a crash. */
  static Path records(Path dir) throws Exception {
    Ending transferred = new Ending("transferred", "transferred", null, "sales", "sip:sales@pbx.test");
    List<ActivityRecord> calls = List.of(
        call(1, "shop", "1", "sales", transferred, "sales"),
        call(2, "shop", "1", "sales", transferred, "sales"),
        call(3, "shop", "2", "billing", hungUp("billing"), "billing"),
        call(4, "shop", null, null, hungUp("main")),
        call(5, "shop", "2", "billing", new Ending("hangup:bye", "hangup", "bye", "bye", null), "billing", "bye"),
        call(6, "<b>x</b>", "9", "bye", new Ending("maxDuration", "maxDuration", null, "main", null), "bye"));
    StringBuilder lines = new StringBuilder();
    calls.forEach(c -> lines.append(new String(RecordCodec.encode(c), StandardCharsets.UTF_8)).append('\n'));
    lines.append(new String(RecordCodec.encode(calls.get(0)), StandardCharsets.UTF_8)).append('\n');
    lines.append("{\"id\":\"torn-by-a-crash\",\"callId\":\"c").append('\n');
    return Files.writeString(dir.resolve("activity.jsonl"), lines.toString());
  }

  /** Runs `callflow report` with {@code args}, returning what it printed. */
  static String run(String... args) {
    PrintStream console = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, new CommandLine(new ReportCommand()).execute(args));
    } finally {
      System.setOut(console);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("text: calls per flow, transfer rate, per-state drop-off, most chosen options; duplicates count once")
  void text() throws Exception {
    String text = run(records(dir).toString());
    assertTrue(text.startsWith("6 calls in 2 flows (1 records delivered twice, counted once)\n"
        + "calls from 1970-01-01 00:00:00 UTC to 1970-01-01 00:00:01 UTC\n"), text);
    assertTrue(text.contains("== flow shop: 5 calls, transfer rate 40.0% =="), text);
    assertTrue(text.contains("ended: callerHangup 2, hangup 1, transferred 2"), text);
    assertTrue(text.matches("(?s).*\nmain +5 +100\\.0% +1 +0 +0\n.*"), text);
    assertTrue(text.matches("(?s).*\nbilling +2 +40\\.0% +1 +0 +0\n.*"), text);
    assertTrue(text.matches("(?s).*\nsales +2 +40\\.0% +0 +2 +0\n.*"), text);
    assertTrue(text.matches("(?s).*\nbye +1 +20\\.0% +0 +0 +1\n.*"), text);
    assertTrue(text.matches("(?s).*most chosen options:\n  main +1 +-> sales +2\n  main +2 +-> billing +2\n.*"), text);
    assertTrue(text.contains("1 unreadable lines skipped"), text);
  }

  @Test
  @DisplayName("the HTML report says which period its calls cover")
  void htmlPeriod() throws Exception {
    Path page = dir.resolve("report.html");
    run(records(dir).toString(), "--html", page.toString());
    String html = Files.readString(page);
    assertTrue(html.contains("<p class=\"period\">Calls from <time datetime=\"1970-01-01T00:00:00.001Z\">"
        + "1970-01-01 00:00:00 UTC</time> to <time datetime=\"1970-01-01T00:00:01.006Z\">1970-01-01 00:00:01 UTC</time></p>"),
        html);
  }
}
