package io.callflow.report;

import io.callflow.config.ReportConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;

/**
 * Appends each record as one JSON line to a file, synced to disk before it counts as delivered. At
 * {@code rotateBytes} the file becomes {@code path.1} (the older ones shift up to {@code path.keep}, the oldest is
 * deleted) and a new file starts. The writes run on a worker, one batch at a time.
 */
final class JsonlTarget implements Target {

  private final Vertx vertx;
  private final Path path;
  private final long rotateBytes;
  private final int keep;
  private FileChannel file;

  JsonlTarget(Vertx vertx, ReportConfig.Jsonl config) {
    this.vertx = vertx;
    this.path = Path.of(config.path());
    this.rotateBytes = config.rotateBytes();
    this.keep = config.keep();
  }

  @Override
  public Future<List<Result>> send(List<Entry> batch) {
    return vertx.executeBlocking(() -> write(batch), true)
        .otherwise(failure -> Collections.nCopies(batch.size(), new Result.Retry(String.valueOf(failure.getMessage()))));
  }

  private synchronized List<Result> write(List<Entry> batch) throws IOException {
    for (Entry entry : batch) {
      FileChannel channel = open();
      ByteBuffer line = ByteBuffer.allocate(entry.line().length + 1).put(entry.line()).put((byte) '\n').flip();
      while (line.hasRemaining()) {
        channel.write(line);
      }
      if (channel.size() >= rotateBytes) {
        rotate();
      }
    }
    if (file != null) {
      file.force(false);
    }
    return Collections.nCopies(batch.size(), new Result.Delivered());
  }

  private FileChannel open() throws IOException {
    if (file == null) {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      // Not APPEND (it excludes READ): this thread is the only writer, so writing at the end is the same.
      file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      file.position(file.size());
      if (!endsWithLineBreak(file)) {
        // A line cut short by a crash: end it, or the next record would be glued to it and lost to readers.
        file.write(ByteBuffer.wrap(new byte[] {'\n'}));
      }
    }
    return file;
  }

  private static boolean endsWithLineBreak(FileChannel channel) throws IOException {
    if (channel.size() == 0) {
      return true;
    }
    ByteBuffer last = ByteBuffer.allocate(1);
    channel.read(last, channel.size() - 1);
    return last.get(0) == '\n';
  }

  private void rotate() throws IOException {
    file.force(false);
    file.close();
    file = null;
    Files.deleteIfExists(numbered(keep));
    for (int n = keep - 1; n >= 1; n--) {
      if (Files.exists(numbered(n))) {
        Files.move(numbered(n), numbered(n + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(path, numbered(1), StandardCopyOption.REPLACE_EXISTING);
  }

  private Path numbered(int n) {
    return path.resolveSibling(path.getFileName() + "." + n);
  }

  /** Called once deliveries have stopped, so it waits for no write. */
  @Override
  public synchronized void close() {
    try {
      if (file != null) {
        file.close();
      }
    } catch (IOException e) {
      // Every line written was forced to disk already; nothing is lost by a failed close.
    }
    file = null;
  }
}
