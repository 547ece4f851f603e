/**
 * The change feed: every change the ledger makes to its transfers, in order, replayed from a data directory's
 * journal and followed live, and its JSON form.
 */
package io.paycore.replay.feed;
