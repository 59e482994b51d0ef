/**
 * The edge: the verticle, the route table, one handler per callback family, callback and admin authentication,
 * body limits, the mapping of failures to answers, the admin API and the wiring of a running server.
 */
package io.callflow.http;
