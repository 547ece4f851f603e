/**
 * paycore journal: an append-only, checksummed, memory-mapped record log with readers that can tail it
 * live, plus atomically written snapshot files. It knows nothing about payments: a record is a type, a
 * sequence, a timestamp and opaque payload bytes.
 * <p>
 * Entry points: {@link io.paycore.journal.Journal} (open with a {@link io.paycore.journal.JournalContext}; one
 * writer per directory; {@code append} or {@code tryClaim}/{@code commitClaim}), {@link io.paycore.journal.JournalReader}
 * (read from any sequence, tail a live journal), {@link io.paycore.journal.SnapshotStore}. The on-disk layout is
 * described in {@link io.paycore.journal.RecordDescriptor} and {@link io.paycore.journal.SegmentDescriptor}.
 */
package io.paycore.journal;
