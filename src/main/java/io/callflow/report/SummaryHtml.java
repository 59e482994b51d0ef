package io.callflow.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A {@link Summary} as one self-contained HTML page (no external script, style or font: it opens from a file
 * anywhere). Tables are plain HTML; the funnel chart per flow is drawn by an inline script from the summary
 * embedded as JSON, as CSS bars: the width is the share of the flow's calls that reached the state, the red part
 * those who hung up there.
 */
public final class SummaryHtml {

  private SummaryHtml() {
  }

  public static String of(Summary summary) {
    StringBuilder html = new StringBuilder(8192);
    html.append("""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>callflow report</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1f2937;max-width:960px}
        h2{margin-top:2em;border-bottom:1px solid #d1d5db}
        table{border-collapse:collapse;margin:1em 0}
        th,td{padding:.2em .8em;text-align:right;border-bottom:1px solid #e5e7eb}
        th:first-child,td:first-child{text-align:left}
        .funnel{margin:1em 0}
        .bar{display:flex;align-items:center;margin:.2em 0}
        .label{width:14em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
        .track{flex:1;background:#f3f4f6;height:1.4em;position:relative}
        .fill{background:#3b82f6;height:100%;display:flex;justify-content:flex-end}
        .drop{background:#ef4444;height:100%}
        .count{width:8em;text-align:right;font-variant-numeric:tabular-nums}
        .legend span{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em 0 1em}
        </style></head><body>
        <h1>callflow report</h1>
        """);
    html.append("<p class=\"totals\">").append(summary.records()).append(" calls in ").append(summary.flows().size())
        .append(summary.flows().size() == 1 ? " flow" : " flows").append(summary.duplicates() > 0 ? " (" + summary.duplicates()
            + " records delivered twice, counted once)" : "").append("</p>\n");
    if (summary.period() != null) {
      html.append("<p class=\"period\">Calls from <time datetime=\"").append(summary.period().from()).append("\">")
          .append(escape(summary.period().readableFrom())).append("</time> to <time datetime=\"")
          .append(summary.period().to()).append("\">").append(escape(summary.period().readableTo()))
          .append("</time></p>\n");
    }
    html.append("<p class=\"legend\"><span style=\"background:#3b82f6\"></span>calls that reached the state"
        + "<span style=\"background:#ef4444\"></span>of them, callers who hung up there</p>\n");
    for (Summary.FlowSummary flow : summary.flows()) {
      html.append("<section class=\"flow\" data-flow=\"").append(escape(flow.flow())).append("\">\n");
      html.append("<h2>").append(escape(flow.flow())).append("</h2>\n");
      html.append("<p class=\"stats\">").append(flow.calls()).append(" calls · transfer rate <b class=\"transfer-rate\">")
          .append(SummaryText.percent(flow.transferred(), flow.calls())).append("</b> · ended: ")
          .append(escape(flow.endings().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
              .collect(Collectors.joining(", ")))).append("</p>\n");
      html.append("<div class=\"funnel\" data-flow=\"").append(escape(flow.flow())).append("\"></div>\n");
      html.append("<table class=\"states\"><tr><th>state</th><th>entered</th><th>of all</th><th>caller hung up</th>"
          + "<th>transferred</th><th>other end</th></tr>\n");
      for (Summary.StateRow row : flow.states()) {
        html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%s</td><td>%d</td><td>%d</td>"
                + "<td>%d</td></tr>%n", escape(row.state()), row.entered(),
            SummaryText.percent(row.entered(), flow.calls()), row.callerHungUp(), row.transferred(), row.otherEnded()));
      }
      html.append("</table>\n");
      if (!flow.options().isEmpty()) {
        html.append("<table class=\"options\"><tr><th>menu</th><th>key</th><th>led to</th><th>chosen</th></tr>\n");
        flow.options().stream().limit(SummaryText.TOP_OPTIONS).forEach(o -> html.append(String.format(Locale.ROOT,
            "<tr><td>%s</td><td>%s</td><td>%s</td><td>%d</td></tr>%n", escape(o.menu()), escape(o.key()),
            escape(String.valueOf(o.next())), o.chosen())));
        html.append("</table>\n");
      }
      html.append("</section>\n");
    }
    html.append("<script id=\"summary\" type=\"application/json\">").append(json(summary)).append("</script>\n");
    html.append("""
        <script>
        const summary = JSON.parse(document.getElementById('summary').textContent);
        for (const flow of summary.flows) {
          const box = [...document.querySelectorAll('.funnel')].find(b => b.dataset.flow === flow.flow);
          for (const row of flow.states) {
            const bar = document.createElement('div');
            bar.className = 'bar';
            bar.dataset.state = row.state;
            bar.dataset.entered = row.entered;
            bar.dataset.hungUp = row.callerHungUp;
            const label = document.createElement('div');
            label.className = 'label';
            label.textContent = row.state;
            const track = document.createElement('div');
            track.className = 'track';
            const fill = document.createElement('div');
            fill.className = 'fill';
            fill.style.width = (flow.calls ? 100 * row.entered / flow.calls : 0) + '%';
            const drop = document.createElement('div');
            drop.className = 'drop';
            drop.style.width = (row.entered ? 100 * row.callerHungUp / row.entered : 0) + '%';
            fill.appendChild(drop);
            track.appendChild(fill);
            const count = document.createElement('div');
            count.className = 'count';
            count.textContent = row.entered + ' (' + row.callerHungUp + ' hung up)';
            bar.append(label, track, count);
            box.appendChild(bar);
          }
          box.dataset.rendered = 'true';
        }
        </script>
        </body></html>
        """);
    return html.toString();
  }

  /** The summary as JSON that cannot end the script element it sits in. */
  private static String json(Summary summary) {
    try {
      return RecordCodec.mapper().writeValueAsString(summary).replace("</", "<\\/");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
