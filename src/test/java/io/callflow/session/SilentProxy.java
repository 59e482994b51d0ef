package io.callflow.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a server that can fall silent: while {@link #silence silent} it still forwards what
 * clients send, but swallows the server's replies; {@link #cut} then closes every connection. The commands sent
 * meanwhile are run by the server and the client never learns it, as when Redis stops (SIGTERM: it runs and
 * persists what it has read, and exits before the replies go out).
 */
public final class SilentProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean silent;
  /** When set, the proxy falls silent as soon as a client sends a command containing it (in any case). */
  private volatile String silentFrom;

  public SilentProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "silent-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String url() {
    return "redis://127.0.0.1:" + server.getLocalPort();
  }

  /**
   * The server's replies are dropped from the first command that contains {@code marker} on (that command's reply
   * included), so that a client's reads before it still get their answers.
   */
  public void silenceFrom(String marker) {
    silentFrom = marker;
  }

  /** Closes every connection; connections made after this are forwarded both ways again. */
  public void cut() {
    silent = false;
    silentFrom = null;
    sockets.forEach(SilentProxy::closeQuietly);
    sockets.clear();
  }

  @Override
  public void close() {
    cut();
    closeQuietly(server);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream, false);
        pump(upstream, client, true);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean replies) {
    Thread pump = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          String marker = silentFrom;
          if (!replies && marker != null
              && new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT)
                  .contains(marker.toLowerCase(java.util.Locale.ROOT))) {
            silent = true;
          }
          if (!(replies && silent)) {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
      } catch (IOException closed) {
        // The other side or cut() closed it.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "silent-proxy-pump");
    pump.setDaemon(true);
    pump.start();
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Closing is all that was asked.
    }
  }
}
