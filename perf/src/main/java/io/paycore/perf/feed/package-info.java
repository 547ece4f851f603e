/**
 * Throughput of the change-feed publishers against their brokers, each beside a bare client of the same broker
 * sending the same messages in the same run.
 */
package io.paycore.perf.feed;
