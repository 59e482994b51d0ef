package io.callflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report rendered by a real headless Chromium: slow, so it runs in {@code mvn verify}. */
class ReportCommandIT {

  @TempDir
  Path dir;

  @Test
  @DisplayName("HTML in headless Chromium: the script draws one funnel per flow with each state's numbers")
  void htmlInBrowser() throws Exception {
    Path page = dir.resolve("report.html");
    ReportCommandTest.run(ReportCommandTest.records(dir).toString(), "--html", page.toString());
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
