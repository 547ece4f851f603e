/**
 * {@code paycore bench}: the latency and throughput commands. The harness (load generator, baseline echo, report)
 * lives in {@code io.paycore.perf.harness}; this package parses the command line and starts the service in process
 * for it, which {@code perf} cannot do without depending on {@code service}.
 */
package io.paycore.perf.bench;
