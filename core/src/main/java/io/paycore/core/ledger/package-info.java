/**
 * The ledger: a single-threaded, allocation-free, deterministic double-entry state machine of accounts and
 * transfers with two-phase (pending, post, void) payments, linked chains, idempotent creation and snapshots.
 * <p>
 * Entry point: {@link io.paycore.core.ledger.Ledger}. Its inputs are read through the tiny
 * {@link io.paycore.core.ledger.AccountEvents} and {@link io.paycore.core.ledger.TransferEvents} views, its
 * outputs written to preallocated {@link io.paycore.core.ledger.AccountResults} and
 * {@link io.paycore.core.ledger.TransferResults}. Everything here is called only on the BLP thread.
 */
package io.paycore.core.ledger;
