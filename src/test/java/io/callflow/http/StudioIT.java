package io.callflow.http;

import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The studio in a real browser (Debian's chromium through Debian's chromedriver; nothing is downloaded): an operator
 * logs in, opens a flow, breaks it and sees the marker at the node and the line, fixes it and saves a draft,
 * simulates a path and sees it highlighted, publishes, sees a call among the live calls, hangs it up, rolls back.
 * Then the read-only token, in the same browser, cannot change anything. Also takes docs/studio.png.
 */
class StudioIT {

  private static final String SUPPORT = "+46850001000";
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir
  Path flows;
  @TempDir
  Path profile;
  private Vertx vertx;
  private Server server;
  private ChromeDriver browser;
  /** The admin listener (API and studio) and the callback listener. */
  private String base;
  private String callbacks;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("flows"))) {
      for (Path file : files.toList()) {
        Files.copy(file, flows.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    vertx = Vertx.vertx();
    server = Server.start(vertx, TestConfig.create(flows.toString(), "support"),
        new MutableClock(MONDAY_10)).await();
    base = "http://127.0.0.1:" + server.adminPort();
    callbacks = "http://127.0.0.1:" + server.port();
    // No Selenium Manager: the driver and the browser are named, so nothing is looked up or downloaded.
    System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
    ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1600, 1150));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    server.stop().await();
    vertx.close().await();
  }

  @Test
  @DisplayName("an operator edits, tries, publishes and rolls back a flow in the browser; the read-only token changes nothing")
  void operatorPath() throws Exception {
    long began = System.nanoTime();
    String original = api("GET", "/api/flows/support", null).getString("version");

    // Without a login: the login page and nothing else.
    browser.get(base + "/studio/");
    assertTrue(browser.findElements(By.id("main")).isEmpty(), "no studio before logging in");
    assertEquals(401, raw("GET", "/studio/app.js", null, null).statusCode());
    HttpResponse<String> page = raw("GET", "/studio/", null, null);
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), page.statusCode() + " " + page.body());
    login("not-the-token-at-all");
    waitFor(() -> text(By.id("login-error")).contains("not an admin token"));
    login(TestConfig.ADMIN_TOKEN);
    assertFalse(browser.getCurrentUrl().contains(TestConfig.ADMIN_TOKEN), "the token is never in a URL");

    // The list: search, then open the flow.
    waitFor(() -> !browser.findElements(By.cssSelector("tr[data-flow=support]")).isEmpty());
    browser.findElement(By.id("search")).sendKeys("+4685000100");
    waitFor(() -> browser.findElements(By.cssSelector("tr.flow-row")).size() == 1);
    browser.findElement(By.cssSelector("tr[data-flow=support]")).click();

    // The graph: a node per state, branch conditions in words, implicit failsafe exits shown.
    waitFor(() -> browser.findElements(By.cssSelector("g.node")).size() == 17);
    assertTrue(labels().stream().anyMatch(l -> l.startsWith("callingParty in +46701111111")), labels().toString());
    node("main-menu").click();
    waitFor(() -> text(By.id("state-title")).equals("main-menu") && text(By.id("state-json")).contains("\"options\""));

    // Break it: a target that does not exist. The server's validate marks the node, the key's line, and hints.
    browser.findElement(By.id("tab-edit")).click();
    String source = editorText();
    edit(source.replace("\"1\": \"sales\"", "\"1\": \"salse\""));
    int line = lineOf(source, "\"1\": \"sales\"");
    waitFor(() -> node("main-menu").getAttribute("class").contains("has-error"));
    waitFor(() -> !browser.findElements(By.cssSelector(".mark.error[data-line='" + line + "']")).isEmpty());
    waitFor(() -> text(By.id("problems")).contains("did you mean 'sales'?"));
    assertFalse(browser.findElements(By.cssSelector("path.edge.bad")).isEmpty(), "the option's edge is marked");
    screenshot("studio-edit.png");

    // Completion from the schema: in a menu state, Ctrl+Space offers the menu's keys not yet written.
    ((JavascriptExecutor) browser).executeScript("const a = document.getElementById('editor'); a.focus();"
        + "const i = a.value.indexOf('\"main-menu\": {') + 15; a.setSelectionRange(i, i);");
    browser.findElement(By.id("editor")).sendKeys(Keys.chord(Keys.CONTROL, Keys.SPACE));
    waitFor(() -> !browser.findElements(By.cssSelector(".complete li[data-value=reprompt]")).isEmpty());
    assertTrue(browser.findElements(By.cssSelector(".complete li[data-value=destination]")).isEmpty(),
        "only a menu's keys");
    browser.findElement(By.id("editor")).sendKeys(Keys.ESCAPE);

    // Fix it (with a real change) and save a draft: it serves no call.
    String changed = source.replace("Welcome to Example support.", "Welcome to Example support, edited in the studio.");
    assertNotEquals(source, changed);
    edit(changed);
    waitFor(() -> browser.findElements(By.cssSelector(".mark.error")).isEmpty()
        && !node("main-menu").getAttribute("class").contains("has-error"));
    browser.findElement(By.id("save-draft")).click();
    waitFor(() -> text(By.id("status")).contains("draft saved"));
    assertTrue(api("GET", "/api/flows/support/draft", null).getString("source").contains("edited in the studio"));
    assertEquals(original, api("GET", "/api/flows/support", null).getString("version"), "a draft serves no call");

    // Simulate: press 1 for sales at an open hour; the path lights up on the graph.
    browser.findElement(By.id("tab-try")).click();
    setField("sim-at", "2026-11-23T10:00:00+01:00");
    setField("sim-dtmf", "1");
    browser.findElement(By.id("simulate")).click();
    waitFor(() -> text(By.id("transcript")).contains("edited in the studio"));
    waitFor(() -> node("sales").getAttribute("class").contains("hot")
        && node("main-menu").getAttribute("class").contains("hot"));
    assertFalse(node("account-number").getAttribute("class").contains("hot"));
    assertFalse(browser.findElements(By.cssSelector("path.edge.hot[data-edge='main-menu>sales']")).isEmpty());
    node("main-menu").click();
    screenshot("studio.png");

    // Publish.
    browser.findElement(By.id("publish-comment")).sendKeys("friendlier welcome");
    browser.findElement(By.id("publish")).click();
    waitFor(() -> !api("GET", "/api/flows/support", null).getString("version").equals(original));
    String published = api("GET", "/api/flows/support", null).getString("version");
    JsonObject latest = api("GET", "/api/flows/support/history", null).getJsonArray("items").getJsonObject(0);
    assertEquals("admin", latest.getString("author"));
    assertEquals("friendlier welcome", latest.getString("comment"));
    waitFor(() -> text(By.id("flow-version")).contains(published));

    // A call (played by this test as the mediaservice) shows among the live calls, on the new version.
    String call = UUID.randomUUID().toString();
    callback("/newCall", new JsonObject().put("sessionId", call).put("callingParty", "+46701234567")
        .put("calledParty", SUPPORT));
    JsonObject menu = callback("/getIvrCommand", new JsonObject().put("sessionId", call).put("replyId", "r1"));
    assertTrue(menu.encode().contains("edited in the studio"), menu.encode());
    browser.findElement(By.id("tab-live")).click();
    By row = By.cssSelector("tr.call-row[data-call='" + call + "']");
    waitFor(() -> !browser.findElements(row).isEmpty() && text(row).contains("main-menu") && text(row).contains(published));

    // Hang it up: its next command hangs up; when the mediaservice reports the end it leaves the list.
    waitFor(() -> {
      browser.findElement(row).findElement(By.cssSelector("button.hangup")).click();
      return true;
    });
    waitFor(() -> text(row).contains("hangingUp") || text(row).toLowerCase().contains("hanging"));
    JsonObject last = callback("/getIvrCommand", new JsonObject().put("sessionId", call).put("replyId", "r2"));
    assertTrue(last.getBoolean("hangup", false), last.encode());
    callback("/sessionCompleted", new JsonObject().put("sessionId", call).put("reason", "normal"));
    waitFor(() -> browser.findElements(row).isEmpty());

    // The funnel on the graph counts the call: it entered the menu.
    browser.findElement(By.id("funnel-toggle")).click();
    waitFor(() -> node("main-menu").getText().contains("↓1"));

    // Roll back to the first version.
    browser.findElement(By.id("tab-history")).click();
    waitFor(() -> !browser.findElements(By.cssSelector("button.rollback[data-number='1']")).isEmpty());
    browser.findElement(By.cssSelector("button.rollback[data-number='1']")).click();
    waitFor(() -> api("GET", "/api/flows/support", null).getString("version").equals(original));
    assertEquals("rollback to #1",
        api("GET", "/api/flows/support/history", null).getJsonArray("items").getJsonObject(0).getString("comment"));
    int versions = api("GET", "/api/flows/support/history", null).getInteger("count");
    System.out.printf("StudioIT operator path: %d ms%n", (System.nanoTime() - began) / 1_000_000);

    // The read-only token, through the same browser: sees, but can change nothing.
    browser.findElement(By.id("logout")).click();
    waitFor(() -> !browser.findElements(By.id("token")).isEmpty());
    login(TestConfig.READ_ONLY_TOKEN);
    waitFor(() -> text(By.id("who")).contains("view only"));
    browser.get(base + "/studio/#/flow/support");
    waitFor(() -> browser.findElements(By.cssSelector("g.node")).size() == 17);
    assertTrue(browser.findElements(By.id("publish")).isEmpty() && browser.findElements(By.id("save-draft")).isEmpty());
    browser.findElement(By.id("tab-edit")).click();
    assertTrue(browser.findElement(By.id("editor")).getAttribute("readonly") != null);
    for (String[] attempt : new String[][] {{"PUT", "/api/flows/support/draft"}, {"POST", "/api/flows/support/publish"},
        {"POST", "/api/flows/support/rollback"}, {"DELETE", "/api/calls/" + call}, {"PUT", "/api/flows/support"}}) {
      Object status = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
          + "fetch(arguments[1], {method: arguments[0], headers: {'Content-Type': 'application/json',"
          + " 'X-Callflow-Studio': '1'}, body: JSON.stringify({to: 2, comment: 'x'})}).then(r => done(r.status))",
          attempt[0], attempt[1]);
      assertEquals(403L, status, attempt[0] + " " + attempt[1]);
    }
    assertEquals(versions, api("GET", "/api/flows/support/history", null).getInteger("count"));
    assertEquals(original, api("GET", "/api/flows/support", null).getString("version"));
    assertEquals(404, raw("GET", "/api/flows/support/draft", TestConfig.ADMIN_TOKEN, null).statusCode());
    System.out.printf("StudioIT total: %d ms%n", (System.nanoTime() - began) / 1_000_000);
  }

  /**
   * The page as it is, without a passing notice over it, under target/studio/; with -Dstudio.docs=true also under
   * docs/ (the README's pictures), so that an ordinary build leaves the work tree as it was.
   */
  private void screenshot(String name) throws Exception {
    ((JavascriptExecutor) browser).executeScript("document.getElementById('toast').hidden = true");
    byte[] png = browser.getScreenshotAs(OutputType.BYTES);
    Files.createDirectories(Path.of("target/studio"));
    Files.write(Path.of("target/studio", name), png);
    if (Boolean.getBoolean("studio.docs")) {
      Files.write(Path.of("docs", name), png);
    }
  }

  private void login(String token) {
    waitFor(() -> !browser.findElements(By.id("token")).isEmpty());
    WebElement field = browser.findElement(By.id("token"));
    field.clear();
    field.sendKeys(token);
    browser.findElement(By.id("login-button")).click();
  }

  private WebElement node(String state) {
    return browser.findElement(By.cssSelector("g.node[data-state='" + state + "']"));
  }

  private List<String> labels() {
    return browser.findElements(By.cssSelector("text.edge-label title")).stream()
        .map(t -> t.getAttribute("textContent")).toList();
  }

  private String editorText() {
    return (String) ((JavascriptExecutor) browser).executeScript("return document.getElementById('editor').value");
  }

  /** Replaces the editor's text as typing would: the value changes and an input event follows. */
  private void edit(String text) {
    ((JavascriptExecutor) browser).executeScript("const a = document.getElementById('editor'); a.value = arguments[0];"
        + "a.dispatchEvent(new Event('input'));", text);
  }

  private void setField(String id, String value) {
    WebElement field = browser.findElement(By.id(id));
    field.clear();
    field.sendKeys(value);
  }

  private String text(By by) {
    List<WebElement> found = browser.findElements(by);
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  private static int lineOf(String text, String needle) {
    return (int) text.substring(0, text.indexOf(needle)).chars().filter(c -> c == '\n').count() + 1;
  }

  private void waitFor(java.util.function.BooleanSupplier condition) {
    // The live-calls panel redraws every 2 s: an element read just before a redraw is stale, so look again.
    new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
        .until(d -> condition.getAsBoolean());
  }

  private JsonObject callback(String path, JsonObject body) throws Exception {
    HttpResponse<String> response = send(callbacks + path, "POST", null, body.encode());
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return new JsonObject(response.body());
  }

  private JsonObject api(String method, String path, String body) {
    try {
      HttpResponse<String> response = raw(method, path, TestConfig.ADMIN_TOKEN, body);
      assertTrue(response.statusCode() < 300, method + " " + path + ": " + response.statusCode() + " " + response.body());
      return new JsonObject(response.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> raw(String method, String path, String token, String body) throws Exception {
    return send(base + path, method, token, body);
  }

  private HttpResponse<String> send(String url, String method, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

}
