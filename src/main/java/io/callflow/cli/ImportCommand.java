package io.callflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callflow.flow.PortsipImport;
import io.callflow.flow.SmartfloImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code callflow import smartflo|portsip FILE}: a flow file from another IVR product's definition. */
@Command(name = "import", mixinStandardHelpOptions = true,
    footer = {"%nExample:", "  java -jar callflow.jar import portsip reception.json --sip-domain pbx.example.com --out flows/reception.json"},
    description = "Convert an IVR definition from another product into a flow file (prints it; --out writes it).")
final class ImportCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "Source format: smartflo or portsip.")
  String format;

  @Parameters(index = "1", description = "The definition (JSON).")
  Path file;

  @Option(names = "--sip-domain", description = "Domain for extensions and numbers (default: ${DEFAULT-VALUE}).")
  String sipDomain = "pbx.example.com";

  @Option(names = "--out", description = "Write the flow here instead of printing it.")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (!format.equals("smartflo") && !format.equals("portsip")) {
      System.err.println("import: unknown format '" + format + "'; supported: smartflo, portsip");
      return 2;
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode source = json.readTree(Files.readAllBytes(file));
    SmartfloImport.Result result;
    try {
      result = format.equals("smartflo") ? new SmartfloImport(sipDomain).convert(source)
          : new PortsipImport(sipDomain).convert(source);
    } catch (IllegalArgumentException refused) {
      System.err.println("callflow import: refused: " + refused.getMessage());
      return 1;
    }
    String text = json.writerWithDefaultPrettyPrinter().writeValueAsString(result.flow()) + "\n";
    if (out != null) {
      Files.writeString(out, text);
    } else {
      System.out.print(text);
    }
    result.unmapped().forEach(line -> System.err.println("not mapped: " + line));
    return 0;
  }
}
