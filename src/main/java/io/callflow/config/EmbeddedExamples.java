package io.callflow.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The example flows inside the jar: {@code java -jar callflow.jar} started in a directory without {@code flows/}
 * serves them, instead of starting with no flow at all.
 */
public final class EmbeddedExamples {

  /** Where the build puts the repository's {@code flows/*.json} on the class path. */
  static final String FLOWS = "/embedded/flows";
  /** The {@code flows.dir} of the embedded default: only this one is replaced by the examples. */
  static final String DEFAULT_DIR = "flows";

  private EmbeddedExamples() {
  }

  /**
   * {@code config} itself when its flows directory exists or was chosen on purpose; when it is the default
   * {@code flows} and there is no such directory, the same configuration reading the example flows, copied into a
   * new temporary directory (edits through the admin API land there, and are gone after the process).
   */
  public static AppConfig whereMissing(AppConfig config) {
    return whereMissing(config, Path.of(""));
  }

  /** {@link #whereMissing(AppConfig)} for a process started in {@code workingDir}. */
  static AppConfig whereMissing(AppConfig config, Path workingDir) {
    if (!DEFAULT_DIR.equals(config.flows().dir()) || Files.isDirectory(workingDir.resolve(DEFAULT_DIR))) {
      return config;
    }
    try {
      Path dir = Files.createTempDirectory("callflow-example-flows");
      for (Path file : list()) {
        Files.copy(file, dir.resolve(file.getFileName().toString()));
      }
      return config.withFlowsDir(dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the embedded example flows", e);
    }
  }

  /** The example flow files on the class path (in the jar, or in target/classes when run from the build). */
  static List<Path> list() throws IOException {
    URL url = EmbeddedExamples.class.getResource(FLOWS);
    if (url == null) {
      throw new IOException(FLOWS + " is not on the class path (the build copies flows/ there)");
    }
    try {
      URI uri = url.toURI();
      Path root;
      if ("jar".equals(uri.getScheme())) {
        FileSystem jar;
        try {
          jar = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          jar = FileSystems.getFileSystem(uri);
        }
        root = jar.getPath(FLOWS);
      } else {
        root = Path.of(uri);
      }
      try (Stream<Path> files = Files.list(root)) {
        return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
      }
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }
}
