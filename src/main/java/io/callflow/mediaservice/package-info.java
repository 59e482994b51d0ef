/**
 * The mediaservice's side of the wire: callback payloads (decoded leniently), the answers callflow renders from the
 * engine's replies, and later the client for its REST API.
 */
package io.callflow.mediaservice;
