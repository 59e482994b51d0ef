package io.callflow.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Collects the non-null state ids a state can lead to. */
final class Targets {

  private Targets() {
  }

  static List<String> of(Collection<String> ids, String... more) {
    List<String> all = new ArrayList<>(ids);
    all.addAll(List.of(more));
    return all.stream().filter(Objects::nonNull).distinct().toList();
  }
}
