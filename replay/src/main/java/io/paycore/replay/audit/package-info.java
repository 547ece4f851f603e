/**
 * paycore audit: verify a data directory's journal and replay it, offline and read only.
 * <p>
 * {@link io.paycore.replay.audit.Auditor} verifies every record and the checksum chain and replays the journal into
 * a fresh ledger (or from a snapshot), as configured by an {@link io.paycore.replay.audit.AuditContext}, and returns
 * an {@link io.paycore.replay.audit.AuditReport}: counts per message type and result code, per-ledger totals
 * ({@link io.paycore.replay.audit.LedgerTotals}) and the balance check, snapshot checks
 * ({@link io.paycore.replay.audit.SnapshotCheck}), the replay rate and the digest.
 * {@link io.paycore.replay.audit.AccountHistory} prints one account's history with running balances;
 * {@link io.paycore.replay.audit.EventExporter} streams every command event to CSV or JSON Lines.
 */
package io.paycore.replay.audit;
