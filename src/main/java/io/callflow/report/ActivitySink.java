package io.callflow.report;

/** Takes the record of each call that ends. Called on an event loop: it must not block. */
public interface ActivitySink {

  /** A sink that drops records: for tools that run calls without a server. */
  ActivitySink NONE = record -> { };

  void ended(ActivityRecord record);
}
