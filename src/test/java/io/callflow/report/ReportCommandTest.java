package io.callflow.report;

import io.callflow.cli.ReportCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
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
    return new ActivityRecord("id-" + flow + n, "call-" + n, flow, "v1", "INBOUND", "+4670000000" + n, "+468", n,
        n + 1000, menus, Map.of(), List.of(), ending, List.of(), events);
  }

  private static Ending hungUp(String state) {
    return new Ending("callerHangup:" + state, "callerHangup", state, state, null);
  }

  private Path records() throws Exception {
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

  private String run(String... args) {
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
    String text = run(records().toString());
    assertTrue(text.startsWith("6 calls in 2 flows (1 records delivered twice, counted once)\n"), text);
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
  @DisplayName("HTML in headless Chromium: the script draws one funnel per flow with each state's numbers")
  void htmlInBrowser() throws Exception {
    Path page = dir.resolve("report.html");
    run(records().toString(), "--html", page.toString());
    String html = Files.readString(page);
    assertTrue(!html.contains("http://") && !html.contains("https://"), "self-contained: nothing to fetch");
    assertTrue(html.contains("&lt;b&gt;x&lt;/b&gt;") && !html.contains("<b>x</b>"), "flow names are escaped");

    String dom = dumpDom(page);
    assertTrue(Pattern.compile("<div class=\"funnel\" data-flow=\"shop\" data-rendered=\"true\">").matcher(dom).find(), dom);
    assertTrue(dom.contains("data-flow=\"&lt;b&gt;x&lt;/b&gt;\" data-rendered=\"true\""), dom);
    assertEquals(6, count(dom, "<div class=\"bar\""), "shop: main, sales, billing, bye; the other flow: main, bye");
    assertTrue(dom.contains("<div class=\"bar\" data-state=\"main\" data-entered=\"5\" data-hung-up=\"1\">"), dom);
    assertTrue(dom.contains("<div class=\"bar\" data-state=\"billing\" data-entered=\"2\" data-hung-up=\"1\">"), dom);
    assertTrue(dom.contains("<div class=\"fill\" style=\"width: 40%;\"><div class=\"drop\" style=\"width: 50%;\">"), dom);
    assertTrue(dom.contains("<div class=\"count\">5 (1 hung up)</div>"), dom);
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  /** The page's DOM after its scripts ran, from headless Chromium (installed by .ci/run in CI). */
  private String dumpDom(Path page) throws Exception {
    String browser = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").stream()
        .filter(b -> Files.isExecutable(Path.of(b))).findFirst().orElse(null);
    if (browser == null) {
      if ("true".equals(System.getenv("CI")) && System.getenv("CALLFLOW_NO_BROWSER") == null) {
        fail("Chromium is not installed: .ci/run installs it with apt-get");
      }
      assumeTrue(false, "Chromium is not installed (apt-get install chromium); the HTML page was not checked");
    }
    Process process = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + dir.resolve("chromium-profile"), "--dump-dom", page.toUri().toString())
        .redirectError(dir.resolve("chromium.log").toFile()).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "Chromium finished");
    assertEquals(0, process.exitValue(), Files.readString(dir.resolve("chromium.log")));
    return new String(out, StandardCharsets.UTF_8);
  }
}
