package io.callflow.sim;

/** Told about every callback answer: which callback, how long since it was due, and whether it was a 200. */
@FunctionalInterface
public interface CallbackListener {

  CallbackListener NONE = (callback, latencyNanos, ok) -> { };

  void answered(String callback, long latencyNanos, boolean ok);
}
