/**
 * paycore replay: rebuilding the ledger from what is on disk.
 * <p>
 * {@link io.paycore.replay.DataDirectory} is the layout of a service's data directory;
 * {@link io.paycore.replay.Recovery} opens its journal (truncating a torn tail, refusing any other damage), loads
 * the newest valid snapshot and replays the journal after it into a ledger; {@link io.paycore.replay.SnapshotTaker}
 * writes the periodic snapshots that make the next recovery short.
 */
package io.paycore.replay;
