package io.callflow.session;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server for tests, on a free loopback port: the one on PATH when installed, else the Linux x86-64
 * binary that the test-scoped {@code com.github.codemonstur:embedded-redis} artifact ships, so {@code mvn verify}
 * needs nothing installed. Persistence is off, as the README recommends for a session store without AOF.
 */
public final class RedisProcess implements AutoCloseable {

  private static final String SHIPPED = "redis-server-6.2.6-v5-linux-amd64";
  private static Path binary;

  private final Path dir;
  private final int port;
  private final List<String> options;
  private Process process;

  private RedisProcess(Path dir, int port, List<String> options) {
    this.dir = dir;
    this.port = port;
    this.options = options;
  }

  /** Starts a server on a free port, keeping its log in {@code dir}; {@code options} are added to its command line. */
  public static RedisProcess start(Path dir, String... options) throws IOException, InterruptedException {
    RedisProcess redis = new RedisProcess(dir, freePort(), List.of(options));
    redis.launch();
    return redis;
  }

  /** A Sentinel watching the master at {@code masterPort} as {@code mymaster}, quick to fail over. */
  public static RedisProcess sentinel(Path dir, int masterPort) throws IOException, InterruptedException {
    Path config = Files.writeString(dir.resolve("sentinel.conf"), String.join("\n",
        "sentinel monitor mymaster 127.0.0.1 " + masterPort + " 1",
        "sentinel down-after-milliseconds mymaster 500",
        "sentinel failover-timeout mymaster 3000", ""));
    RedisProcess sentinel = new RedisProcess(dir, freePort(), List.of(config.toString(), "--sentinel"));
    sentinel.launch();
    return sentinel;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Stops the server (its data is gone: persistence is off). */
  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }

  /** SIGKILL, as a crashed machine. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
    process = null;
  }

  /** Starts it again on the same port, empty. */
  public void launch() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary().toString()));
    command.addAll(options.stream().filter(o -> o.endsWith(".conf")).toList());
    command.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toString()));
    if (!options.contains("--sentinel")) {
      command.addAll(List.of("--save", "", "--appendonly", "no"));
    }
    command.addAll(options.stream().filter(o -> !o.endsWith(".conf")).toList());
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis-" + port + ".log").toFile()))
        .start();
    for (int i = 0; i < 200; i++) {
      try {
        if ("PONG".equals(command("PING"))) {
          return;
        }
      } catch (IOException notYet) {
        Thread.sleep(25);
      }
    }
    throw new IOException("redis-server did not come up on port " + port + ": "
        + Files.readString(dir.resolve("redis-" + port + ".log")));
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  /**
   * Sends one command and returns its answer: a simple string, integer or bulk string as text, null for nil, a
   * list for an array. Errors throw.
   */
  public Object command(String... args) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    }
  }

  /** {@link #command} for answers that are numbers. */
  public long number(String... args) throws IOException {
    return Long.parseLong(String.valueOf(command(args)));
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
      case ':':
        return line;
      case '-':
        throw new IOException("redis: " + line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length + 2);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          items.add(read(in));
        }
        return items;
      }
      default:
        throw new IOException("unexpected answer type " + (char) type);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\r'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      line.write(b);
    }
    in.read();
    return line.toString(StandardCharsets.UTF_8);
  }

  /** redis-server from PATH, else the one the embedded-redis test artifact ships, extracted once. */
  static synchronized Path binary() throws IOException {
    if (binary != null) {
      return binary;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "redis-server");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return binary = candidate;
      }
    }
    try (InputStream shipped = RedisProcess.class.getClassLoader().getResourceAsStream(SHIPPED)) {
      if (shipped == null || !System.getProperty("os.name").startsWith("Linux")
          || !System.getProperty("os.arch").matches("amd64|x86_64")) {
        throw new IOException("no redis-server on PATH and no shipped binary for this platform: install redis-server");
      }
      Path extracted = Files.createTempFile("callflow-redis-server", "");
      Files.copy(shipped, extracted, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(extracted, PosixFilePermissions.fromString("rwx------"));
      extracted.toFile().deleteOnExit();
      return binary = extracted;
    }
  }
}
