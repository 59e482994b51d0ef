package io.callflow.report;

import java.util.Locale;
import java.util.stream.Collectors;

/** A {@link Summary} as plain text for a terminal: per flow, the calls, endings, funnel table and top options. */
public final class SummaryText {

  static final int TOP_OPTIONS = 10;

  private SummaryText() {
  }

  public static String of(Summary summary) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%d calls in %d flow%s", summary.records(), summary.flows().size(),
        summary.flows().size() == 1 ? "" : "s"));
    if (summary.duplicates() > 0) {
      out.append(String.format(Locale.ROOT, " (%d records delivered twice, counted once)", summary.duplicates()));
    }
    out.append('\n');
    if (summary.period() != null) {
      out.append("calls from ").append(summary.period().readable()).append('\n');
    }
    for (Summary.FlowSummary flow : summary.flows()) {
      out.append('\n').append(String.format(Locale.ROOT, "== flow %s: %d calls, transfer rate %s ==%n", flow.flow(),
          flow.calls(), percent(flow.transferred(), flow.calls())));
      out.append("ended: ").append(flow.endings().entrySet().stream()
          .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append('\n');
      out.append(String.format(Locale.ROOT, "%-24s %8s %7s %14s %12s %8s%n", "state", "entered", "of all",
          "caller hung up", "transferred", "other"));
      for (Summary.StateRow row : flow.states()) {
        out.append(String.format(Locale.ROOT, "%-24s %8d %7s %14d %12d %8d%n", row.state(), row.entered(),
            percent(row.entered(), flow.calls()), row.callerHungUp(), row.transferred(), row.otherEnded()));
      }
      if (!flow.options().isEmpty()) {
        out.append("most chosen options:\n");
        flow.options().stream().limit(TOP_OPTIONS).forEach(o -> out.append(String.format(Locale.ROOT,
            "  %-20s %-6s -> %-20s %6d%n", o.menu(), o.key(), o.next(), o.chosen())));
      }
    }
    return out.toString();
  }

  static String percent(int part, int whole) {
    return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }
}
