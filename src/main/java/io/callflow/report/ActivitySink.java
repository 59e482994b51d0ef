package io.callflow.report;

/** Takes the record of each call that ends. Called on an event loop: it must not block. */
public interface ActivitySink {

  /** A sink that drops records: for tools that run calls without a server. */
  ActivitySink NONE = record -> { };

  void ended(ActivityRecord record);

  /**
   * {@link #ended}, and a result that ends once the record is kept for good (in the outbox, synced), so that whoever
   * holds it elsewhere may let go of it. Without an outbox there is nothing more to wait for.
   */
  default io.vertx.core.Future<Void> keep(ActivityRecord record) {
    ended(record);
    return io.vertx.core.Future.succeededFuture();
  }
}
