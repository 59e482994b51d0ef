package io.callflow.session;

import io.vertx.core.Future;

/**
 * Where each loaded flow version's file content is kept for the other instances, by flow id and content hash, so a
 * call that started on one instance continues on that exact version on any other, even one that has loaded a
 * newer file since. In memory there is one instance and nothing to share.
 */
public interface FlowSourceStore {

  /** One instance: nothing is kept, nothing can be fetched. */
  FlowSourceStore NONE = new FlowSourceStore() {
    @Override
    public boolean shared() {
      return false;
    }

    @Override
    public void save(String flowId, String version, byte[] source) {
    }

    @Override
    public Future<byte[]> load(String flowId, String version) {
      return Future.succeededFuture(null);
    }
  };

  /** Whether other instances may have versions this one has not loaded. */
  boolean shared();

  /** Keeps a version that this instance loaded; a failed save is retried until it succeeds. */
  void save(String flowId, String version, byte[] source);

  /** The content of that version, or null when no instance saved it. */
  Future<byte[]> load(String flowId, String version);
}
