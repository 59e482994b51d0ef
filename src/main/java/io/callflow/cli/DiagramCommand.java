package io.callflow.cli;

import io.callflow.flow.FlowDiagram;
import io.callflow.flow.FlowException;
import io.callflow.flow.FlowParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code callflow diagram FLOW}: the flow's state graph as Mermaid text. */
@Command(name = "diagram", mixinStandardHelpOptions = true,
    footer = {"%nExample:", "  java -jar callflow.jar diagram flows/support.json > support.mmd"},
    description = "Print a flow's state graph as Mermaid text (paste into any Mermaid viewer).")
final class DiagramCommand implements Callable<Integer> {

  @Parameters(description = "The flow file.")
  Path file;

  @Override
  public Integer call() throws IOException {
    try {
      System.out.print(FlowDiagram.mermaid(new FlowParser().parse(file.toString(), Files.readAllBytes(file))));
      return 0;
    } catch (FlowException e) {
      e.problems().forEach(System.err::println);
      return 1;
    }
  }
}
