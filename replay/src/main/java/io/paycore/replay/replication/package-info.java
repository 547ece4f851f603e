/**
 * Replication: a hot standby kept in step from the primary's journal, over Aeron.
 * <pre>
 *  primary                                                     standby
 *  input ring ─┬─▶ journaler ─┐                                 Follower ──▶ standby Pipeline (journal, BLP)
 *              └─▶ replicator ┴─▶ BLP                             ▲  │ ACK (durable sequence), HELLO, FENCED
 *                  (Replicator.ship) ── live RECORDs ─────────────┤  ▼
 *  Replicator agent: HELLO ─▶ JournalReader ── catch-up RECORDs ──┘  control ──▶ Replicator agent
 * </pre>
 * <ul>
 *     <li>{@link io.paycore.replay.replication.Replicator} (primary): the {@code RecordShipper} of the pipeline's
 *     replicator stage, sending each record exactly as journaled with its chained checksum
 *     ({@link io.paycore.journal.RecordChecksum}); streams what a standby misses from the journal; takes
 *     its acknowledgements, which sync mode waits for once per ring batch; is fenced by a newer epoch.</li>
 *     <li>{@link io.paycore.replay.replication.Follower} (standby): takes each sequence once, verifies the chain,
 *     offers it to a standby pipeline, acknowledges its durable sequence, stops on divergence, and promotes.</li>
 *     <li>{@link io.paycore.replay.replication.Epochs}: the journaled epoch record that fences an old primary.</li>
 *     <li>{@link io.paycore.replay.replication.ReplicationMessages}: the wire layout (no schema: five small
 *     fixed messages).</li>
 * </ul>
 */
package io.paycore.replay.replication;
