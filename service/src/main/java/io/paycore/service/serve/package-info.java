/**
 * {@code paycore serve}: the long-running service. {@link io.paycore.service.serve.PaycoreService} recovers a data
 * directory, runs the pipeline over the recovered ledger behind the Aeron transport, takes periodic snapshots and
 * shuts down cleanly; {@link io.paycore.service.serve.ServeCommand} is its command line.
 */
package io.paycore.service.serve;
