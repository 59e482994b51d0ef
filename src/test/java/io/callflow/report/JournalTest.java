package io.callflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

  @TempDir
  Path dir;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<Journal.Line> lines) {
    return lines.stream().map(l -> new String(l.bytes(), StandardCharsets.UTF_8)).toList();
  }

  private long segmentFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".log")).count();
    }
  }

  @Test
  @DisplayName("lines read back in order from any offset, and after reopening only the unfinished ones remain")
  void appendReadCommitReopen() throws Exception {
    try (Journal journal = Journal.open(dir, 1 << 20)) {
      long first = journal.append(bytes("{\"n\":1}"));
      long second = journal.append(bytes("{\"n\":2}"));
      journal.append(bytes("{\"n\":3}"));
      journal.sync();
      assertEquals(0, first);
      assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), texts(journal.read(0, 10)));
      assertEquals(List.of("{\"n\":2}"), texts(journal.read(second, 1)));
      journal.commit(second);
    }
    try (Journal journal = Journal.open(dir, 1 << 20)) {
      assertEquals(8, journal.cursor());
      assertEquals(2, journal.countUnfinished());
      assertEquals(List.of("{\"n\":2}", "{\"n\":3}"), texts(journal.read(journal.cursor(), 10)));
    }
  }

  @Test
  @DisplayName("a line torn by a crash mid-write is cut off at reopening and the next append is whole")
  void tornTail() throws Exception {
    try (Journal journal = Journal.open(dir, 1 << 20)) {
      journal.append(bytes("{\"n\":1}"));
      journal.sync();
    }
    Files.write(dir.resolve("00000000000000000000.log"), bytes("{\"n\":2,\"half"), StandardOpenOption.APPEND);
    try (Journal journal = Journal.open(dir, 1 << 20)) {
      assertEquals(1, journal.countUnfinished());
      journal.append(bytes("{\"n\":3}"));
      assertEquals(List.of("{\"n\":1}", "{\"n\":3}"), texts(journal.read(0, 10)));
    }
  }

  @Test
  @DisplayName("segments roll at their size and are deleted once every line in them is finished")
  void compaction() throws Exception {
    try (Journal journal = Journal.open(dir, 40)) {
      long[] offsets = new long[12];
      for (int i = 0; i < 12; i++) {
        offsets[i] = journal.append(bytes("{\"record\":" + (100 + i) + "}"));
      }
      assertEquals(4, segmentFiles(), "15-byte lines, 40-byte segments: three lines a segment");
      assertEquals(12, texts(journal.read(0, 100)).size());
      assertEquals("{\"record\":104}", texts(journal.read(offsets[4], 1)).get(0));

      journal.commit(offsets[7]);
      assertEquals(2, segmentFiles(), "the first two segments held only finished lines");
      assertEquals("{\"record\":106}", texts(journal.read(0, 1)).get(0), "reading starts at the oldest segment kept");
      journal.commit(journal.end());
      assertEquals(1, segmentFiles(), "the segment being written stays");
      assertEquals(List.of(), journal.read(journal.cursor(), 10));
    }
    try (Journal journal = Journal.open(dir, 40)) {
      assertEquals(0, journal.countUnfinished());
      long next = journal.append(bytes("{\"record\":200}"));
      assertEquals(List.of("{\"record\":200}"), texts(journal.read(next, 10)));
    }
  }

  @Test
  @DisplayName("the directory is synced after the first segment is created, after every roll and after every cursor "
      + "rename, each time already naming the new file; the real fsync of a directory works here")
  void directorySyncs() throws Exception {
    List<List<String>> seen = new java.util.ArrayList<>();
    Journal.DirectorySync watching = synced -> {
      Journal.DirectorySync.FSYNC.sync(synced);
      if (synced.equals(dir)) {
        try (Stream<Path> files = Files.list(dir)) {
          seen.add(files.map(f -> f.getFileName().toString()).sorted().toList());
        }
      }
    };
    try (Journal journal = Journal.open(dir, 40, watching)) {
      assertEquals(List.of(List.of("00000000000000000000.log")), seen, "the first segment is named on disk");
      for (int i = 0; i < 3; i++) {
        journal.append(bytes("{\"record\":" + (100 + i) + "}"));
      }
      assertEquals(1, seen.size(), "appends within a segment need no directory sync");
      long rolled = journal.append(bytes("{\"record\":103}"));
      assertEquals(2, seen.size(), "a roll syncs the directory");
      assertEquals(true, seen.get(1).contains(String.format("%020d.log", rolled)), "after the new segment exists");
      journal.commit(rolled);
      assertEquals(3, seen.size(), "a cursor rename syncs the directory");
      assertEquals(List.of(String.format("%020d.log", rolled), "cursor"), seen.get(2),
          "after the rename and the deletion of the finished segment");
    }
  }
}
