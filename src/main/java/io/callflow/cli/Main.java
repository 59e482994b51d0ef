package io.callflow.cli;

import io.callflow.config.AppConfig;
import io.callflow.config.ConfigException;
import io.callflow.config.ConfigLoader;
import io.callflow.config.EmbeddedExamples;
import io.callflow.report.LogFormat;
import io.callflow.http.Server;
import io.callflow.sim.CeilingServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * callflow's command line: {@code serve} (the default) runs the server, the others check, draw, simulate, import
 * and report flows; {@code loadtest} measures a server. The benchmark helpers ({@code ceiling}, {@code footprint})
 * are hidden from the list (they are bench/'s, not an operator's).
 */
@Command(name = "callflow", mixinStandardHelpOptions = true, version = "callflow 0.1",
    description = "Call-flow webhook server for the iotcomms.io mediaservice.",
    footer = {"%nExamples:", "  java -jar callflow.jar                      serve on the embedded default (port 8080)",
        "  java -jar callflow.jar serve -c config/application.json",
        "  java -jar callflow.jar validate --strict flows/"},
    subcommands = {Main.Serve.class, ValidateCommand.class, DiagramCommand.class, SimulateCommand.class, ImportCommand.class, ReportCommand.class, LoadTestCommand.class, CeilingServer.class, FootprintCommand.class})
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** The command line as {@code main} runs it. */
  static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Main::unreadable);
  }

  @Override
  public Integer call() {
    return new Serve().call();
  }

  /** Exit code of a command whose input file cannot be read. */
  static final int UNREADABLE = 2;

  /**
   * A file that is missing, unreadable or not JSON is the operator's mistake, not callflow's: one line naming the
   * file, and exit code 2, instead of a stack trace. Anything else is a bug and keeps its stack trace.
   */
  private static int unreadable(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
    String name = "callflow " + command.getCommandName();
    if (e instanceof java.nio.file.NoSuchFileException missing) {
      command.getErr().println(name + ": no such file: " + missing.getFile());
    } else if (e instanceof java.nio.file.AccessDeniedException denied) {
      command.getErr().println(name + ": permission denied: " + denied.getFile());
    } else if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
      command.getErr().println(name + ": not valid JSON: " + json.getOriginalMessage()
          + (json.getLocation() == null ? "" : " (line " + json.getLocation().getLineNr() + ")"));
    } else if (e instanceof java.io.IOException io) {
      command.getErr().println(name + ": cannot read: " + io.getMessage());
    } else {
      throw e;
    }
    return UNREADABLE;
  }

  /** Starts the server and keeps running until the process is stopped. */
  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = {"Run the callback server (the default command).",
          "Without --config it reads config/application.json when there is one, else the configuration embedded in "
              + "the jar; without a flows/ directory it serves the example flows embedded in the jar. CALLFLOW_* "
              + "environment variables override any key (README.md, \"Configuration\")."},
      footer = {"%nExamples:", "  java -jar callflow.jar serve",
          "  CALLFLOW_SERVER_PORT=9090 CALLFLOW_ADMIN_TOKEN_FILE=/run/secrets/admin java -jar callflow.jar serve "
              + "-c /etc/callflow/application.json"})
  static final class Serve implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger("callflow");
    /** How long /ready reports 503 before the server stops accepting, so load balancers can notice. */
    private static final long DRAIN_SECONDS = Long.getLong("callflow.drainSeconds", 2);

    /** The config file read when none is named, if it exists. */
    static final Path DEFAULT_CONFIG = Path.of("config/application.json");

    @Option(names = {"-c", "--config"}, description = "Config file; it may name only the keys it changes "
        + "(default: config/application.json if present, else the embedded default).")
    Path config;

    @Override
    public Integer call() {
      long began = System.nanoTime();
      AppConfig appConfig;
      boolean embedded = config == null && !java.nio.file.Files.isRegularFile(DEFAULT_CONFIG);
      try {
        appConfig = embedded ? ConfigLoader.loadEmbedded(System.getenv())
            : ConfigLoader.load(config != null ? config : DEFAULT_CONFIG, System.getenv());
      } catch (ConfigException e) {
        System.err.println("callflow: " + e.getMessage());
        return 2;
      }
      LogFormat.apply(appConfig.log().format());
      LogFormat.level(appConfig.log().level());
      if (embedded) {
        LOG.info("config.embedded no {} here: the configuration embedded in the jar, with CALLFLOW_* overrides",
            DEFAULT_CONFIG);
      }
      AppConfig configured = appConfig;
      appConfig = EmbeddedExamples.whereMissing(appConfig);
      if (appConfig != configured) {
        LOG.warn("flows.embedded no flows/ directory here: serving the example flows embedded in the jar from {}",
            appConfig.flows().dir());
      }
      Vertx vertx = Vertx.vertx();
      Server server;
      try {
        server = Server.start(vertx, appConfig, Clock.systemUTC()).await();
      } catch (Exception e) {
        System.err.println("callflow: cannot start: " + e.getMessage());
        vertx.close();
        return 1;
      }
      LOG.info("callflow.ready port={} adminPort={} basePath='{}' startupMs={}", server.port(), server.adminPort(),
          appConfig.server().basePath(),
          (System.nanoTime() - began) / 1_000_000);
      Signal.handle(new Signal("TERM"), signal -> stop(server, vertx));
      Signal.handle(new Signal("INT"), signal -> stop(server, vertx));
      return 0;
    }

    /** SIGTERM / SIGINT: graceful shutdown (see {@link Server#shutdown}), then exit 0. */
    private static void stop(Server server, Vertx vertx) {
      new Thread(() -> {
        try {
          server.shutdown(Duration.ofSeconds(DRAIN_SECONDS)).toCompletionStage().toCompletableFuture()
              .get(DRAIN_SECONDS + 15, java.util.concurrent.TimeUnit.SECONDS);
          vertx.close().toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.error("callflow.stop failed: {}", e.toString());
        }
        // Flushes the asynchronous log appender, so the last lines are not lost on exit.
        ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).stop();
        System.exit(0);
      }, "callflow-shutdown").start();
    }
  }
}
