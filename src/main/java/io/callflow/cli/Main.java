package io.callflow.cli;

import io.callflow.config.AppConfig;
import io.callflow.config.ConfigException;
import io.callflow.config.ConfigLoader;
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

/** callflow's command line: {@code serve} (the default) runs the server; {@code loadtest} and {@code ceiling} measure it. */
@Command(name = "callflow", mixinStandardHelpOptions = true, version = "callflow 0.1",
    description = "Call-flow webhook server for the iotcomms.io mediaservice.",
    subcommands = {Main.Serve.class, ValidateCommand.class, DiagramCommand.class, SimulateCommand.class, ImportCommand.class, ReportCommand.class, LoadTestCommand.class, CeilingServer.class, FootprintCommand.class})
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() {
    return new Serve().call();
  }

  /** Starts the server and keeps running until the process is stopped. */
  @Command(name = "serve", description = "Run the callback server (the default command).")
  static final class Serve implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger("callflow");
    /** How long /ready reports 503 before the server stops accepting, so load balancers can notice. */
    private static final long DRAIN_SECONDS = Long.getLong("callflow.drainSeconds", 2);

    @Option(names = {"-c", "--config"}, description = "Config file (default: ${DEFAULT-VALUE}).")
    Path config = Path.of("config/application.json");

    @Override
    public Integer call() {
      long began = System.nanoTime();
      AppConfig appConfig;
      try {
        appConfig = ConfigLoader.load(config, System.getenv());
      } catch (ConfigException e) {
        System.err.println("callflow: " + e.getMessage());
        return 2;
      }
      LogFormat.apply(appConfig.log().format());
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
