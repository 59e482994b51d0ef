package io.callflow.call;

import io.callflow.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the requests of http states, so that a flow cannot reach what it should not (no SSRF): only hosts on the
 * allow-list, or with an empty list only hosts whose every address is public (no loopback, link-local, private,
 * multicast). The request goes to the address that was checked, is bounded in time, and its answer in size.
 */
public final class HttpStateClient {

  /** What the system answered. */
  record Answer(int status, String body) {
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final List<String> allowedHosts;
  private final int maxBytes;
  private final EnvironmentReferences environment;

  public HttpStateClient(Vertx vertx, AppConfig.Http config) {
    this(vertx, config, EnvironmentReferences.system());
  }

  HttpStateClient(Vertx vertx, AppConfig.Http config, EnvironmentReferences environment) {
    this.environment = environment;
    this.vertx = vertx;
    this.allowedHosts = config.allowedHosts().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    this.maxBytes = config.maxResponseBytes();
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setVerifyHost(true),
        new PoolOptions().setHttp1MaxSize(16).setMaxWaitQueueSize(500));
  }

  Future<Answer> fetch(String method, String url, Map<String, String> references, String body, int timeoutMillis) {
    Map<String, String> headers;
    try {
      headers = environment.resolve(references);
    } catch (IllegalStateException e) {
      return Future.failedFuture(e.getMessage());
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture("not a URL: " + e.getMessage());
    }
    String host = uri.getHost();
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    if (host == null || !https && !"http".equalsIgnoreCase(uri.getScheme())) {
      return Future.failedFuture("not an http(s) URL with a host");
    }
    boolean listed = listed(host.toLowerCase(Locale.ROOT));
    if (!allowedHosts.isEmpty() && !listed) {
      return Future.failedFuture("host " + host + " is not in http.allowedHosts");
    }
    int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
    // Name resolution blocks: on a worker, never on the event loop.
    return vertx.executeBlocking(() -> InetAddress.getAllByName(host), false)
        .compose(addresses -> {
          if (!listed) {
            for (InetAddress address : addresses) {
              if (!isPublic(address)) {
                return Future.failedFuture("host " + host + " has the non-public address " + address.getHostAddress()
                    + "; list it in http.allowedHosts to allow it");
              }
            }
          }
          String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
          RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setHost(host)
              .setPort(port).setSsl(https).setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery())
              .setServer(SocketAddress.inetSocketAddress(port, addresses[0].getHostAddress()))
              .setConnectTimeout(timeoutMillis);
          headers.forEach(options::putHeader);
          if (body != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            options.putHeader("Content-Type", "application/json");
          }
          return request(options, body, timeoutMillis);
        });
  }

  public void close() {
    client.close();
  }

  private Future<Answer> request(RequestOptions options, String body, int timeoutMillis) {
    Promise<Answer> answer = Promise.promise();
    client.request(options).onFailure(answer::tryFail).onSuccess(request -> {
      long timer = vertx.setTimer(timeoutMillis, t -> {
        if (answer.tryFail("no answer within " + timeoutMillis + " ms")) {
          request.reset();
        }
      });
      answer.future().onComplete(done -> vertx.cancelTimer(timer));
      Future<HttpClientResponse> sent = body == null ? request.send() : request.send(body);
      sent.onFailure(answer::tryFail).onSuccess(response -> read(request, response, answer));
    });
    return answer.future();
  }

  /** Reads the answer up to the size limit; a larger one is cut off and refused. */
  private void read(HttpClientRequest request, HttpClientResponse response, Promise<Answer> answer) {
    Buffer received = Buffer.buffer();
    response.exceptionHandler(answer::tryFail);
    response.handler(chunk -> {
      if (received.length() + chunk.length() > maxBytes) {
        if (answer.tryFail("answer larger than " + maxBytes + " bytes")) {
          request.reset();
        }
      } else {
        received.appendBuffer(chunk);
      }
    });
    response.endHandler(v -> answer.tryComplete(new Answer(response.statusCode(), received.toString())));
  }

  private boolean listed(String host) {
    for (String allowed : allowedHosts) {
      if (allowed.equals(host) || allowed.startsWith("*.") && host.endsWith(allowed.substring(1))) {
        return true;
      }
    }
    return false;
  }

  /** Reachable on the internet: not loopback, link-local, site-local, unique-local, shared (CGNAT) or multicast. */
  static boolean isPublic(InetAddress address) {
    if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
        || address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = bytes[0] & 0xff;
      int second = bytes[1] & 0xff;
      return first != 0 && !(first == 100 && second >= 64 && second <= 127) && first < 224;
    }
    if (address instanceof Inet6Address) {
      return (bytes[0] & 0xfe) != 0xfc;
    }
    return true;
  }
}
