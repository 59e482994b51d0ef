/**
 * The mediaservice's side of the wire: callback payloads (decoded leniently), the answers callflow renders from the
 * engine's replies, and {@link io.callflow.mediaservice.MediaserviceClient} for its REST API with the token it sends.
 */
package io.callflow.mediaservice;
