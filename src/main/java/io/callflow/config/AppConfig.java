package io.callflow.config;


/**
 * callflow's whole configuration, read once at start-up from {@code config/application.json} with
 * {@code CALLFLOW_*} environment overrides (see {@link ConfigLoader}) and checked before anything starts.
 */
public record AppConfig(Server server, Flows flows, Tts tts, Mediaservice mediaservice, Outbound outbound,
                        Http http, Sessions session, Failsafe failsafe, Admin admin, CallbackAuth callbackAuth,
                        ReportConfig report, Log log) {

  /**
   * Where callbacks are served; {@code instances} 0 means one verticle per event loop; a callback not decided
   * within {@code callbackDeadlineMillis} (a slow session store) gets the failsafe answer; for at most
   * {@code warmupSeconds} after start (0: none) synthetic calls warm the instance up and /ready answers 503.
   */
  public record Server(String host, int port, String basePath, int instances, int bodyLimitBytes,
                       int callbackDeadlineMillis, int warmupSeconds) {
  }

  /**
   * Where flow files live, the flow for numbers no flow claims (null: such calls are refused), and how often the
   * directory is checked for edits (0: never; restart to reload).
   */
  public record Flows(String dir, String defaultFlow, int reloadSeconds) {
  }

  /**
   * The mediaservice REST API at {@code baseUrl}/{@code domain}/operation. Its bearer token is {@code token} as
   * configured, or a JWT callflow mints ({@code jwt}); each request may take {@code timeoutMillis}, and requests that
   * are harmless to repeat are retried {@code retries} times.
   */
  public record Mediaservice(String baseUrl, String domain, String token, Jwt jwt, int timeoutMillis, int retries) {
  }

  /** An RS256 JWT signed with the PEM private key in {@code privateKeyFile}, valid {@code ttlSeconds}. */
  public record Jwt(String privateKeyFile, String issuer, String subject, String audience, int ttlSeconds) {
  }

  /**
   * Outbound calls: a number without "sip:" is dialled as sip:NUMBER@{@code sipDomain}; {@code from} is the default
   * calling number; {@code ivrMessages} is the "send IVR message" intake, off while its path is null.
   */
  public record Outbound(String sipDomain, String from, int maxRingTime, IvrMessages ivrMessages) {
  }

  /**
   * The "send IVR message" intake: POST {@code path} (with {0} for the request id) starts a call that plays the
   * message through {@code flow}; with {@code publicKeyFile} the x-access-token JWT must verify against it.
   */
  public record IvrMessages(String path, String flow, String publicKeyFile) {
  }

  /**
   * What http states may call: hosts in {@code allowedHosts} ("*.example.com" for a domain), or with an empty list
   * any host on a public address; answers larger than {@code maxResponseBytes} are refused.
   */
  public record Http(java.util.List<String> allowedHosts, int maxResponseBytes) {
  }

  /**
   * Session store ({@code memory} or {@code redis}) and lifetimes: an idle call is reaped after {@code ttlSeconds}.
   */
  public record Sessions(String store, int ttlSeconds, int tombstoneSeconds, int reapIntervalSeconds, Redis redis) {
  }

  /**
   * Where the shared sessions live when {@code store} is {@code redis}: {@code url} is one {@code redis://} or
   * {@code rediss://} URL, or several comma-separated (the Sentinels, or Cluster seed nodes); {@code type} is
   * {@code standalone}, {@code sentinel} (then {@code masterName} names the master) or {@code cluster}.
   */
  public record Redis(String url, String type, String masterName) {
  }

  /**
   * How callbacks prove they come from the mediaservice: {@code none}, {@code basic} ("user:password" entries),
   * {@code bearer} (tokens) or {@code jwt} (RS256, PEM public key files, optional issuer and audience). Two
   * entries are accepted at once, so credentials can be rotated without downtime.
   */
  public record CallbackAuth(String mode, java.util.List<String> credentials, String issuer, String audience,
                             int leewaySeconds) {
  }

  /**
   * The admin API: {@code token} may read and change, {@code readOnlyToken} may only read (GET); with neither the
   * admin API is off. Each client address may make {@code requestsPerMinute} requests. The admin API and /metrics
   * listen on {@code host}:{@code port} (127.0.0.1:8081 by default), apart from the callbacks; port 0 takes a free
   * port (tests), {@link #ADMIN_ON_CALLBACK_PORT} serves them on the callback port instead.
   */
  public record Admin(String token, String readOnlyToken, int requestsPerMinute, String host, int port) {
  }

  /** What a caller hears when callflow cannot find the call or its flow. */
  public record Failsafe(String message) {
  }

  /**
   * Log lines as text (for people) or one JSON object per line (for log shippers), and the lowest level written
   * ({@code trace}, {@code debug}, {@code info}, {@code warn} or {@code error}).
   */
  public record Log(String format, String level) {

    /** The levels {@code log.level} accepts, lowest first. */
    public static final java.util.List<String> LEVELS = java.util.List.of("trace", "debug", "info", "warn", "error");

    @com.fasterxml.jackson.annotation.JsonCreator
    public Log {
    }

    /** {@code format} at level info. */
    public Log(String format) {
      this(format, "info");
    }
  }

  /** The same configuration reading its flows from {@code dir}. */
  public AppConfig withFlowsDir(String dir) {
    return new AppConfig(server, new Flows(dir, flows.defaultFlow(), flows.reloadSeconds()), tts, mediaservice,
        outbound, http, session, failsafe, admin, callbackAuth, report, log);
  }

  /** {@code admin.port} value that serves the admin API and /metrics on the callback port (not recommended). */
  public static final int ADMIN_ON_CALLBACK_PORT = -1;

  /** Checks every value; the first bad one throws with the key and the expected form. */
  public AppConfig validate() {
    require(server != null, "server", "an object");
    require(server.port() >= 0 && server.port() <= 65535, "server.port", "a port number 0-65535");
    require(server.host() != null && !server.host().isBlank(), "server.host", "a host name or address");
    require(server.basePath() != null && (server.basePath().isEmpty() || server.basePath().matches("(/[A-Za-z0-9._~-]+)+")),
        "server.basePath", "empty or a path like /ivr (no trailing slash)");
    require(server.instances() >= 0 && server.instances() <= 64, "server.instances", "0 (one per event loop) to 64");
    require(server.bodyLimitBytes() >= 1024 && server.bodyLimitBytes() <= 16 * 1024 * 1024,
        "server.bodyLimitBytes", "1024 to 16777216");
    require(server.callbackDeadlineMillis() >= 50 && server.callbackDeadlineMillis() <= 30_000,
        "server.callbackDeadlineMillis", "50 to 30000");
    require(server.warmupSeconds() >= 0 && server.warmupSeconds() <= 300, "server.warmupSeconds", "0 (none) to 300");
    require(flows != null && flows.dir() != null && !flows.dir().isBlank(), "flows.dir", "a directory path");
    require(flows.reloadSeconds() >= 0 && flows.reloadSeconds() <= 3600, "flows.reloadSeconds", "0 (off) to 3600");
    require(tts != null && ("aws".equals(tts.engine()) || "google".equals(tts.engine())), "tts.engine", "aws or google");
    require(tts.region() != null && tts.voiceId() != null && tts.language() != null, "tts", "region, voiceId and language");
    require(mediaservice != null && mediaservice.baseUrl() != null && mediaservice.baseUrl().matches("https?://.+"),
        "mediaservice.baseUrl", "an http(s) URL");
    require(mediaservice.domain() != null && mediaservice.domain().matches("[A-Za-z0-9.-]+"), "mediaservice.domain",
        "the tenant domain, e.g. customer47.prod-eu-north-1.iotcomms.io");
    require(mediaservice.token() == null || mediaservice.jwt() == null, "mediaservice.jwt",
        "null when mediaservice.token is set (one or the other)");
    require(mediaservice.jwt() == null || mediaservice.jwt().privateKeyFile() != null, "mediaservice.jwt.privateKeyFile",
        "the path of a PEM private key");
    require(mediaservice.jwt() == null || mediaservice.jwt().ttlSeconds() >= 60 && mediaservice.jwt().ttlSeconds() <= 86_400,
        "mediaservice.jwt.ttlSeconds", "60 to 86400");
    require(mediaservice.timeoutMillis() >= 100 && mediaservice.timeoutMillis() <= 30_000, "mediaservice.timeoutMillis",
        "100 to 30000");
    require(mediaservice.retries() >= 0 && mediaservice.retries() <= 5, "mediaservice.retries", "0 to 5");
    require(outbound != null && (outbound.sipDomain() == null || outbound.sipDomain().matches("[A-Za-z0-9.:-]+")),
        "outbound.sipDomain", "null or a host name, e.g. trunk.example.com");
    require(outbound.from() == null || outbound.from().matches("\\+?[0-9]{2,20}|sips?:.+"), "outbound.from",
        "null or a number like +46850001000");
    require(outbound.maxRingTime() >= 5 && outbound.maxRingTime() <= 120, "outbound.maxRingTime", "5 to 120");
    require(outbound.ivrMessages() == null || outbound.ivrMessages().path() == null
        || outbound.ivrMessages().path().matches("(/[A-Za-z0-9._~{}-]+)+") && outbound.ivrMessages().path().contains("{0}"),
        "outbound.ivrMessages.path", "null (off) or a path containing {0}, e.g. /ivr-messages/{0}");
    require(outbound.ivrMessages() == null || outbound.ivrMessages().path() == null || outbound.ivrMessages().flow() != null,
        "outbound.ivrMessages.flow", "the flow that plays the messages");
    require(http != null && http.allowedHosts() != null && http.allowedHosts().stream()
        .allMatch(h -> h.matches("(\\*\\.)?[A-Za-z0-9.:-]+")), "http.allowedHosts", "host names like api.example.com or *.example.com");
    require(http.maxResponseBytes() >= 1024 && http.maxResponseBytes() <= 1024 * 1024, "http.maxResponseBytes",
        "1024 to 1048576");
    require(session != null && ("memory".equals(session.store()) || "redis".equals(session.store())),
        "session.store", "memory or redis");
    require(session.redis() != null, "session.redis", "an object");
    require(!"redis".equals(session.store()) || session.redis().url() != null
            && session.redis().url().matches("rediss?://[^,\\s]+(,\\s*rediss?://[^,\\s]+)*"),
        "session.redis.url", "redis://host:port (or several, comma-separated) when session.store is redis");
    require(java.util.List.of("standalone", "sentinel", "cluster").contains(session.redis().type()),
        "session.redis.type", "standalone, sentinel or cluster");
    require(!"sentinel".equals(session.redis().type()) || session.redis().masterName() != null
        && !session.redis().masterName().isBlank(), "session.redis.masterName", "the Sentinel master's name");
    require(session.ttlSeconds() >= 60, "session.ttlSeconds", "at least 60");
    require(session.tombstoneSeconds() >= 1, "session.tombstoneSeconds", "at least 1");
    require(session.reapIntervalSeconds() >= 1, "session.reapIntervalSeconds", "at least 1");
    require(admin != null && (admin.token() == null || admin.token().length() >= 16), "admin.token",
        "null (admin API off) or a secret of at least 16 characters");
    require(admin.readOnlyToken() == null || admin.readOnlyToken().length() >= 16, "admin.readOnlyToken",
        "null or a secret of at least 16 characters");
    require(admin.port() >= ADMIN_ON_CALLBACK_PORT && admin.port() <= 65535
            && (admin.port() == ADMIN_ON_CALLBACK_PORT || admin.host() != null && !admin.host().isBlank()),
        "admin.port", "a port 1-65535 with admin.host (0: a free port; -1: on the callback port)");
    require(admin.requestsPerMinute() >= 1 && admin.requestsPerMinute() <= 100_000, "admin.requestsPerMinute",
        "1 to 100000");
    require(callbackAuth != null && java.util.List.of("none", "basic", "bearer", "jwt").contains(callbackAuth.mode()),
        "callbackAuth.mode", "none, basic, bearer or jwt");
    int given = callbackAuth.credentials() == null ? 0 : callbackAuth.credentials().size();
    require(callbackAuth.mode().equals("none") || given >= 1 && given <= 2, "callbackAuth.credentials",
        "one or two entries (two while rotating)");
    require(!callbackAuth.mode().equals("basic") || callbackAuth.credentials().stream().allMatch(c -> c.contains(":")),
        "callbackAuth.credentials", "user:password entries for basic");
    require(callbackAuth.leewaySeconds() >= 0 && callbackAuth.leewaySeconds() <= 300, "callbackAuth.leewaySeconds",
        "0 to 300");
    require(failsafe != null && failsafe.message() != null && !failsafe.message().isBlank(), "failsafe.message", "a sentence");
    require(report != null, "report", "an object");
    report.validate();
    require(log != null && java.util.List.of("text", "json").contains(log.format()), "log.format", "text or json");
    require(Log.LEVELS.contains(log.level()), "log.level", "one of " + Log.LEVELS);
    return this;
  }

  private static void require(boolean ok, String key, String expected) {
    if (!ok) {
      throw new ConfigException(key, "expected " + expected);
    }
  }
}
