package io.callflow.report;

/**
 * One record waiting in an exporter's outbox at {@code offset}: its stored JSON line, and the record decoded from
 * it (null when the line cannot be read, which is then finished as unreadable rather than retried forever).
 */
record Entry(long offset, byte[] line, ActivityRecord record) {

  String id() {
    return record == null ? "unreadable@" + offset : record.id();
  }
}
