/**
 * Reporting and observability: the activity record of each call, built from its session; the durable outbox and
 * the exporters that deliver records (Expertflow CX, JSON lines, webhook); metrics derived from records; the log
 * format; and the offline {@code callflow report} summary.
 */
package io.callflow.report;
