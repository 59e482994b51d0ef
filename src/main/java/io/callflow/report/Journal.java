package io.callflow.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One exporter's outbox on disk: an append-only log of lines in segment files named by the offset of their first
 * byte, and a cursor file with the offset below which every line is finished (delivered, rejected or expired).
 * Offsets run on across segments, so a line's offset never changes. Segments wholly below the cursor are
 * deleted: that is the compaction. Blocking and not thread-safe: one thread owns it (see {@link Outbox}).
 */
final class Journal implements AutoCloseable {

  /** One stored line at {@code offset}; the next line starts at {@code next}. */
  record Line(long offset, long next, byte[] bytes) {
  }

  private static final String SUFFIX = ".log";

  /**
   * Makes a directory's entries durable: a file that was created, renamed or deleted is only as durable as the
   * directory that names it, so every such change is followed by an fsync of the directory (as every write-ahead
   * log does). Tests pass their own to see when it happens.
   */
  interface DirectorySync {
    DirectorySync FSYNC = dir -> {
      try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
        channel.force(true);
      }
    };

    void sync(Path dir) throws IOException;
  }

  private final Path dir;
  private final long segmentBytes;
  private final DirectorySync directorySync;
  /** Segment base offset → file, oldest first; the last one is the one appended to. */
  private final TreeMap<Long, Path> segments = new TreeMap<>();
  private FileChannel active;
  private long activeBase;
  private long end;
  private long cursor;

  private Journal(Path dir, long segmentBytes, DirectorySync directorySync) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.directorySync = directorySync;
  }

  /** Opens (or creates) the journal in {@code dir}; a line torn by a crash mid-write is cut off. */
  static Journal open(Path dir, long segmentBytes) throws IOException {
    return open(dir, segmentBytes, DirectorySync.FSYNC);
  }

  static Journal open(Path dir, long segmentBytes, DirectorySync directorySync) throws IOException {
    boolean created = !Files.isDirectory(dir);
    Files.createDirectories(dir);
    if (created && dir.toAbsolutePath().getParent() != null) {
      directorySync.sync(dir.toAbsolutePath().getParent());
    }
    Journal journal = new Journal(dir, segmentBytes, directorySync);
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(f -> f.getFileName().toString().matches("\\d{20}\\" + SUFFIX))
          .forEach(f -> journal.segments.put(Long.parseLong(f.getFileName().toString().substring(0, 20)), f));
    }
    if (journal.segments.isEmpty()) {
      journal.segments.put(0L, dir.resolve(name(0)));
    }
    journal.activeBase = journal.segments.lastKey();
    boolean fresh = !Files.exists(journal.segments.lastEntry().getValue());
    journal.active = FileChannel.open(journal.segments.lastEntry().getValue(), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (fresh) {
      directorySync.sync(dir);
    }
    journal.active.truncate(completeLength(journal.active));
    journal.end = journal.activeBase + journal.active.size();
    journal.cursor = Math.max(journal.segments.firstKey(), Math.min(journal.end, readCursor(dir)));
    return journal;
  }

  /** Appends {@code line} (without a line break) and returns its offset; durable only after {@link #sync}. */
  long append(byte[] line) throws IOException {
    if (active.size() >= segmentBytes) {
      roll();
    }
    long offset = end;
    ByteBuffer buffer = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
    while (buffer.hasRemaining()) {
      active.write(buffer, offset - activeBase + buffer.position());
    }
    end += line.length + 1;
    return offset;
  }

  void sync() throws IOException {
    active.force(false);
  }

  /** Up to {@code max} whole lines from {@code from} on. */
  List<Line> read(long from, int max) throws IOException {
    List<Line> lines = new ArrayList<>();
    long at = Math.max(from, segments.firstKey());
    while (lines.size() < max && at < end) {
      Long base = segments.floorKey(at);
      Long next = segments.higherKey(base);
      long segmentEnd = next != null ? next : end;
      if (at >= segmentEnd) {
        at = next;
        continue;
      }
      byte[] chunk = readChunk(segments.get(base), at - base, (int) Math.min(segmentEnd - at, 1 << 20));
      int start = 0;
      for (int i = 0; i < chunk.length && lines.size() < max; i++) {
        if (chunk[i] == '\n') {
          byte[] line = java.util.Arrays.copyOfRange(chunk, start, i);
          lines.add(new Line(at + start, at + i + 1, line));
          start = i + 1;
        }
      }
      if (start == 0 && chunk.length > 0 && lines.size() < max) {
        throw new IOException("a line longer than 1 MiB at offset " + at + " in " + segments.get(base));
      }
      at += start;
    }
    return lines;
  }

  /** Remembers that every line below {@code offset} is finished, and deletes the segments that holds only such lines. */
  void commit(long offset) throws IOException {
    if (offset <= cursor) {
      return;
    }
    cursor = Math.min(offset, end);
    Path tmp = dir.resolve("cursor.tmp");
    Files.writeString(tmp, Long.toString(cursor), StandardCharsets.US_ASCII);
    try {
      Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.REPLACE_EXISTING);
    }
    while (segments.size() > 1) {
      Long first = segments.firstKey();
      Long second = segments.higherKey(first);
      if (second > cursor) {
        break;
      }
      Files.deleteIfExists(segments.remove(first));
    }
    // One fsync for the rename and the deletions: a cursor that went back after a power loss only repeats.
    directorySync.sync(dir);
  }

  /** How many lines are not finished: counted by reading them, so only at start-up. */
  long countUnfinished() throws IOException {
    long count = 0;
    long at = cursor;
    List<Line> lines;
    while (!(lines = read(at, 10_000)).isEmpty()) {
      count += lines.size();
      at = lines.get(lines.size() - 1).next();
    }
    return count;
  }

  long cursor() {
    return cursor;
  }

  long end() {
    return end;
  }

  int segmentCount() {
    return segments.size();
  }

  @Override
  public void close() throws IOException {
    active.close();
  }

  private void roll() throws IOException {
    active.force(false);
    active.close();
    activeBase = end;
    Path file = dir.resolve(name(end));
    segments.put(end, file);
    active = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    // The new segment's name must be on disk before a record in it is counted as saved (its data is synced later).
    directorySync.sync(dir);
  }

  private byte[] readChunk(Path file, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    FileChannel channel = file.equals(segments.lastEntry().getValue()) ? active : FileChannel.open(file);
    try {
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, position + buffer.position()) < 0) {
          break;
        }
      }
    } finally {
      if (channel != active) {
        channel.close();
      }
    }
    return java.util.Arrays.copyOf(buffer.array(), buffer.position());
  }

  /** The length up to and including the last line break: what a crash mid-append leaves beyond it is not a line. */
  private static long completeLength(FileChannel channel) throws IOException {
    long size = channel.size();
    ByteBuffer one = ByteBuffer.allocate(1);
    for (long at = size - 1; at >= 0; at--) {
      one.clear();
      channel.read(one, at);
      if (one.get(0) == '\n') {
        return at + 1;
      }
    }
    return 0;
  }

  private static long readCursor(Path dir) throws IOException {
    Path file = dir.resolve("cursor");
    if (!Files.exists(file)) {
      return 0;
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    return text.matches("\\d{1,19}") ? Long.parseLong(text) : 0;
  }

  private static String name(long base) {
    return String.format("%020d%s", base, SUFFIX);
  }
}
