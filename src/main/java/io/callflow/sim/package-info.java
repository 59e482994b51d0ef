/**
 * The mediaservice simulator: plays the iotcomms mediaservice against a callflow URL (callbacks in the vendor's
 * order, scripted callers and callees, transcripts), serves its REST API, and drives the load test.
 */
package io.callflow.sim;
