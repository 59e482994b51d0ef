package io.callflow.cli;

import io.callflow.report.ActivityRecord;
import io.callflow.report.RecordCodec;
import io.callflow.report.Summary;
import io.callflow.report.SummaryHtml;
import io.callflow.report.SummaryText;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code callflow report FILE…}: a summary of JSON-lines activity records, as text and optionally an HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
    footer = {"%nExample:", "  java -jar callflow.jar report records/activity.jsonl* --html report.html"},
    description = "Summarize activity records (the jsonl exporter's files): calls per flow, per-state drop-off, "
        + "most chosen options, transfer rate.")
public final class ReportCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", description = "JSON-lines files of activity records (rotated ones too).")
  List<Path> files;

  @Option(names = "--html", description = "Also write the summary as a self-contained HTML page with a funnel chart per flow.")
  Path html;

  @Override
  public Integer call() throws IOException {
    List<ActivityRecord> records = new ArrayList<>();
    int unreadable = 0;
    for (Path file : files) {
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          try {
            records.add(RecordCodec.decode(line.getBytes(StandardCharsets.UTF_8)));
          } catch (IOException e) {
            // A line cut short by a crash mid-write; its record was written again whole after the restart.
            unreadable++;
          }
        }
      }
    }
    Summary summary = Summary.of(records);
    System.out.print(SummaryText.of(summary));
    if (unreadable > 0) {
      System.out.printf("%d unreadable lines skipped%n", unreadable);
    }
    if (html != null) {
      Files.writeString(html, SummaryHtml.of(summary), StandardCharsets.UTF_8);
      System.out.println("HTML: " + html.toAbsolutePath());
    }
    return 0;
  }
}
