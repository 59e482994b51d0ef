package io.callflow.session;

import java.time.Instant;

/** One entry of a call's trail: at {@code at}, in {@code state}, {@code kind} happened (e.g. selected "2"). */
public record Activity(Instant at, String state, String kind, String detail) {
}
