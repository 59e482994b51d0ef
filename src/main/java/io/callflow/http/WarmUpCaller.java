package io.callflow.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One synthetic caller of the warm-up ({@link WarmUp}): whole calls, one after another until {@code done}, over a
 * plain blocking HTTP/1.1 connection on a thread of its own. Not a Vert.x client: that would run the same Netty and
 * Vert.x code as the server, on the same event loops, and code compiled for both sides of every exchange serves the
 * server alone worse than code compiled for it (bench/README.md).
 *
 * <p>Each callback is shaped like the vendor's (seed 004: every field of its samples, a JWT-long replyId, the
 * sessionReferenceId echoed), so that what gets compiled is what a real mediaservice will send: code warmed on
 * thinner payloads is compiled for them, and thrown away on the first real ones. About one call in
 * {@value #RECONNECT_EVERY} ends its connection, either side closing it, so that accepting and closing connections
 * are warm too; not every call: each closed connection waits a minute in TIME_WAIT. Callers hang up anywhere in
 * the flow, and replyIds vary in length: real load does both, and code compiled without them is compiled again
 * under it.
 */
final class WarmUpCaller implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger("callflow");
  /**
   * Every synthetic call's sessionId starts so, in place of the start of a UUID: its log lines are told from those of
   * real calls by it, and it keeps the shape of the vendor's sessionIds (a longer id made the first real seconds
   * slower: 18,600 callbacks/s against 24,300, mean of the first 2 s after ready over five and three runs).
   */
  static final String CALL_PREFIX = "warmup-";
  /** What the synthetic callers press, one per getIvrCommand: menus, collects and invalid input all get used. */
  private static final List<String> KEYS = List.of("", "1", "2", "3", "123456#", "9", "*");
  private static final int MAX_COMMANDS = 6;
  /**
   * The vendor's replyIds are JWTs of about 260 characters: the start of one, a UUID makes each unique, and a few
   * more characters at random, so that answers come in many lengths as real ones do.
   */
  private static final String REPLY_ID = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
      + "eyJzaXRlIjoid2FybSIsInB1cnBvc2UiOiJhIHN5bnRoZXRpYyBjYWxsIGJlZm9yZSAvcmVhZHkiLCJwYWRkaW5nIjoi".repeat(2)
      + "c2lnbmF0dXJlLXBsYWNlaG9sZGVyLXNpZ25hdHVyZS1wbGFjZWhvbGRlcg.";
  private static final String PADDING = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final int RECONNECT_EVERY = 10;
  /** Effects are dropped while warming: nothing is ever sent to this address. */
  private static final String SITE = "http://127.0.0.1:9";
  /** A synthetic callback not answered by then stops the warm-up rather than hold it forever. */
  private static final int ANSWER_MILLIS = 5_000;

  /** How a synthetic call leaves its connection: kept for the next call, or closed by either side. */
  private enum Leaving { KEEP, SERVER_CLOSES, CLIENT_CLOSES }

  private final int port;
  private final String base;
  private final List<String> numbers;
  private final AtomicBoolean done;
  private final AtomicLong answered;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  /** Calls {@code numbers} at {@code base} on loopback {@code port}, counting each callback answered. */
  WarmUpCaller(int port, String base, List<String> numbers, AtomicBoolean done, AtomicLong answered) {
    this.port = port;
    this.base = base;
    this.numbers = numbers;
    this.done = done;
    this.answered = answered;
  }

  /** Walks calls until done; a failure stops every caller (something is wrong with the calls, not with warming). */
  @Override
  public void run() {
    try {
      while (!done.get()) {
        call();
      }
    } catch (IOException | RuntimeException e) {
      if (done.compareAndSet(false, true)) {
        LOG.warn("callflow.warmup stopped: {}", e.toString());
      }
    } finally {
      disconnect();
    }
  }

  private void call() throws IOException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String sessionId = CALL_PREFIX + UUID.randomUUID().toString().substring(CALL_PREFIX.length());
    JsonObject started = post("/newCall", new JsonObject().put("sessionId", sessionId)
        .put("sipCallId", sessionId + "@10.0.0.2").put("ivrServer", "127.0.0.1").put("callingPartyPrivacy", "public")
        .put("callingParty", "+46700000000").put("displayName", "Warm Up").put("fromUser", "+46700000000")
        .put("xHeaders", new JsonObject()).put("pHeaders", new JsonObject()).put("copyHeaders", new JsonArray())
        .put("calledParty", numbers.get(random.nextInt(numbers.size()))).put("paiNumber", "+46700000000")
        .put("srcAddr", "10.0.0.2").put("siteId", "warm").put("siteBaseUrl", SITE), Leaving.KEEP);
    Object reference = started.getValue("sessionReferenceId");
    // Callers hang up at any point, as real ones do: in a menu, in the middle of a collect, or once the flow ends.
    int commands = 1 + random.nextInt(MAX_COMMANDS);
    for (int sent = 0; sent < commands && !done.get(); sent++) {
      JsonObject command = post("/getIvrCommand", command(sessionId, reference, sent), Leaving.KEEP);
      if (Boolean.TRUE.equals(command.getValue("hangup")) || command.containsKey("action")) {
        break;
      }
    }
    post("/callEvent", new JsonObject().put("connectionId", sessionId).put("event", "callingPartyDrop")
        .put("ivrServer", "127.0.0.1").put("participantId", "p").put("remoteParticipantId", "ivr")
        .put("sessionId", sessionId).put("user", "+46700000000").put("sessionReferenceId", reference)
        .put("siteId", "warm").put("siteBaseUrl", SITE), Leaving.KEEP);
    Leaving leaving = random.nextInt(RECONNECT_EVERY) != 0 ? Leaving.KEEP
        : random.nextBoolean() ? Leaving.SERVER_CLOSES : Leaving.CLIENT_CLOSES;
    post("/sessionCompleted", new JsonObject().put("sessionId", sessionId).put("sessionDuration", 10)
        .put("reason", "caller-hangup").put("sessionReferenceId", reference).put("ivrServer", "127.0.0.1")
        .put("traceId", UUID.randomUUID().toString()).put("httpTransactionId", UUID.randomUUID().toString())
        .put("siteId", "warm").put("siteBaseUrl", SITE), leaving);
  }

  /** A getIvrCommand with random keys pressed (none in the first). */
  private static JsonObject command(String sessionId, Object reference, int sent) {
    String keys = KEYS.get(ThreadLocalRandom.current().nextInt(KEYS.size()));
    JsonObject request = new JsonObject().put("sessionId", sessionId).put("sessionReferenceId", reference)
        .put("ivrServer", "127.0.0.1").put("replyId", REPLY_ID + UUID.randomUUID() + PADDING.substring(
            ThreadLocalRandom.current().nextInt(PADDING.length()))).put("siteId", "warm")
        .put("siteBaseUrl", SITE);
    if (sent > 0 && !keys.isEmpty()) {
      request.put("dtmfBuffer", keys).put("dtmfParams", new JsonObject().put("dtmfMatch", keys.replace("#", ""))
          .put("reason", keys.endsWith("#") ? "terminationKey" : "maxDigits"));
    }
    return request;
  }

  /** One callback and its answer, which must be a 200; the connection is closed after it unless kept. */
  private JsonObject post(String path, JsonObject body, Leaving leaving) throws IOException {
    if (socket == null) {
      connect();
    }
    byte[] json = body.encode().getBytes(StandardCharsets.UTF_8);
    String head = "POST " + base + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length
        + (leaving == Leaving.SERVER_CLOSES ? "\r\nConnection: close" : "") + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(json);
    out.flush();
    String answer = answer(path);
    answered.incrementAndGet();
    if (leaving != Leaving.KEEP) {
      disconnect();
    }
    return answer.isEmpty() ? new JsonObject() : new JsonObject(answer);
  }

  /** Reads one answer: its status line and headers, then as many bytes of body as its Content-Length says. */
  private String answer(String path) throws IOException {
    String status = line();
    if (!status.startsWith("HTTP/1.1 200")) {
      throw new IOException(path + " answered " + status);
    }
    int length = 0;
    for (String header = line(); !header.isEmpty(); header = line()) {
      if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(header.substring("content-length:".length()).trim());
      }
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** One line of an answer's head, without its CRLF. */
  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed in the middle of an answer");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(ANSWER_MILLIS);
    socket.connect(new InetSocketAddress("127.0.0.1", port), ANSWER_MILLIS);
    in = new BufferedInputStream(socket.getInputStream());
    out = new BufferedOutputStream(socket.getOutputStream());
  }

  private void disconnect() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing a loopback connection the server may have closed first: nothing to do
      }
      socket = null;
    }
  }
}
