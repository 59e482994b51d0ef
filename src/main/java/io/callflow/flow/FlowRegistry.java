package io.callflow.flow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The flows in service: the current version of each flow, which flow answers which number, and every version
 * still pinned by a call. Reads are lock-free on an immutable snapshot; installs are serialized.
 */
public final class FlowRegistry {

  private record Snapshot(Map<String, Flow> byId, Map<String, String> byNumber) {
  }

  /** One version of a flow and when it was installed. */
  public record Version(Flow flow, Instant loadedAt) {
  }

  private static final Pattern SEPARATORS = Pattern.compile("[\\s()-]");

  private final String defaultFlow;
  private final Map<String, Version> versions = new ConcurrentHashMap<>();
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());

  /** {@code defaultFlow} answers numbers no flow claims; null refuses them. */
  public FlowRegistry(String defaultFlow) {
    this.defaultFlow = defaultFlow;
  }

  /** Makes {@code flow} the current version of its id, unless one of its numbers belongs to another flow. */
  public synchronized List<String> install(Flow flow, Instant loadedAt) {
    List<String> problems = new ArrayList<>();
    Map<String, String> byNumber = new HashMap<>(snapshot.byNumber());
    byNumber.values().removeIf(flow.id()::equals);
    for (String number : flow.numbers()) {
      String owner = byNumber.putIfAbsent(normalize(number), flow.id());
      if (owner != null && !owner.equals(flow.id())) {
        problems.add("number " + number + " already belongs to flow " + owner);
      }
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    Map<String, Flow> byId = new HashMap<>(snapshot.byId());
    byId.put(flow.id(), flow);
    versions.putIfAbsent(key(flow.id(), flow.version()), new Version(flow, loadedAt));
    snapshot = new Snapshot(Map.copyOf(byId), Map.copyOf(byNumber));
    return List.of();
  }

  /** Takes the flow out of service for new calls; calls already on one of its versions keep it. */
  public synchronized void retire(String id) {
    Map<String, Flow> byId = new HashMap<>(snapshot.byId());
    byId.remove(id);
    Map<String, String> byNumber = new HashMap<>(snapshot.byNumber());
    byNumber.values().removeIf(id::equals);
    snapshot = new Snapshot(Map.copyOf(byId), Map.copyOf(byNumber));
  }

  public Optional<Flow> current(String id) {
    return Optional.ofNullable(snapshot.byId().get(id));
  }

  /** The flow that answers {@code calledParty}, else the default flow, else none. */
  public Optional<Flow> route(String calledParty) {
    String id = calledParty == null ? null : snapshot.byNumber().get(normalize(calledParty));
    return current(id != null ? id : defaultFlow == null ? "" : defaultFlow);
  }

  /** The exact version a call started on; the current version if that one is unknown here. */
  public Optional<Flow> pinned(String id, String version) {
    Version pinned = versions.get(key(id, version));
    return pinned != null ? Optional.of(pinned.flow()) : current(id);
  }

  /** Exactly this version, if this instance has it (no fallback to the current one). */
  public Optional<Flow> exact(String id, String version) {
    Version pinned = versions.get(key(id, version));
    return pinned == null ? Optional.empty() : Optional.of(pinned.flow());
  }

  /** Keeps a version for the calls pinned to it (one fetched from another instance) without making it current. */
  public void remember(Flow flow, Instant loadedAt) {
    versions.putIfAbsent(key(flow.id(), flow.version()), new Version(flow, loadedAt));
  }

  /** Every version of the flow loaded since start, oldest first. */
  public List<Version> versions(String id) {
    return versions.values().stream().filter(v -> v.flow().id().equals(id))
        .sorted(java.util.Comparator.comparing(Version::loadedAt)).toList();
  }

  public Collection<Flow> all() {
    return snapshot.byId().values();
  }

  private static String key(String id, String version) {
    return id + "@" + version;
  }

  /** "+46 8 123" and "468123" are one number. */
  private static String normalize(String number) {
    String digits = SEPARATORS.matcher(number).replaceAll("");
    return digits.startsWith("+") ? digits.substring(1) : digits;
  }
}
