package io.callflow.report;

import io.vertx.core.Future;
import java.util.List;

/** Where an exporter delivers records. */
interface Target {

  /** Delivers a batch; one result per entry, in order. The future never fails: a failure is a {@link Result.Retry}. */
  Future<List<Result>> send(List<Entry> batch);

  /** Releases what the target holds (files, connections). */
  default void close() {
  }
}
