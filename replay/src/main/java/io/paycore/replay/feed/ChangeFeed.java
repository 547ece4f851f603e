package io.paycore.replay.feed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.paycore.core.cold.LmdbColdTier;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.command.LedgerRecordHandler;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.LedgerChange;
import io.paycore.core.ledger.LedgerChangeListener;
import io.paycore.journal.JournalArchive;
import io.paycore.journal.JournalException;
import io.paycore.journal.JournalReader;
import io.paycore.journal.JournalVerifier;
import io.paycore.journal.RecordHandler;
import io.paycore.replay.ScratchDirectory;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

/**
 * Every change the ledger makes to its transfers (created single-phase or pending, posted, voided, expired), in
 * order, read from a data directory's journal: the records are replayed into a ledger of the feed's own, exactly as
 * the BLP applied them, and the changes with a timestamp at or after {@link ChangeFeedContext#fromTimestampNanos()}
 * are handed on, each with both accounts' balances after it. The journal is followed while it grows, so the feed
 * goes from history to live with no gap and no duplicate: it is one reader moving through one sequence.
 * <p>
 * The feed never touches the service: it takes no lock, writes nothing in the data directory, and runs at its own
 * pace, so a slow consumer never slows payments. It needs the ledger limits the service runs with (a different
 * limit could give a different result), and replays from the journal's first record, so the journal must start at
 * sequence 1 (none archived).
 * <p>
 * <b>Threading</b>: one thread polls a feed. A change handed to the listener is valid only during the call.
 */
public final class ChangeFeed implements AutoCloseable
{
    private final ChangeFeedContext context;
    private final Path journalDirectory;
    private final Ledger ledger;
    private final LedgerRecordHandler applier;
    private final LmdbColdTier cold;
    private final ScratchDirectory coldDirectory;
    private final JournalReader reader;
    private final long fromTimestampNanos;
    private final Tap tap = new Tap();
    private LedgerChangeListener downstream;
    private long lastTimestampNanos;
    private long lastRecordTimestampNanos;
    private long changesDelivered;
    private long changesSkipped;
    private boolean closed;

    private ChangeFeed(final ChangeFeedContext context)
    {
        this.context = context;
        this.journalDirectory = context.directory().journalDirectory();
        this.fromTimestampNanos = context.fromTimestampNanos();
        if (0 == JournalVerifier.segments(journalDirectory).length)
        {
            throw new IllegalStateException("no journal to follow: no segment files in " + journalDirectory +
                context.directory().journalDirectoryGivenHint());
        }
        final long firstSequence = JournalArchive.firstSequence(journalDirectory);
        if (firstSequence > 1)
        {
            final JournalArchive.Marker marker = JournalArchive.readMarker(journalDirectory);
            throw new IllegalStateException("the journal starts at sequence " + firstSequence + ": the segments " +
                "before were archived" + (null == marker ? "" : " to " + marker.archive()) + "; the feed replays " +
                "from the first record, so move the archived segments back to follow this journal");
        }

        ScratchDirectory coldDirectory = null;
        LmdbColdTier cold = null;
        JournalReader reader = null;
        try
        {
            if (context.coldTierSizeBytes() > 0)
            {
                coldDirectory = ScratchDirectory.create(context.coldTierParent(), "paycore-feed-cold-");
                cold = new LmdbColdTier(coldDirectory.path(), context.coldTierSizeBytes(), null);
            }
            reader = JournalReader.open(journalDirectory, 1);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietCloseAll(cold, coldDirectory);
            throw new UncheckedIOException("cannot make the feed's temporary cold tier: " + ex, ex);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(cold, coldDirectory);
            throw ex;
        }
        this.coldDirectory = coldDirectory;
        this.cold = cold;
        this.reader = reader;
        this.ledger = new Ledger(context.limits(), cold);
        this.ledger.changeListener(tap);
        this.applier = new LedgerRecordHandler(new CommandProcessor(ledger));
    }

    /**
     * Open a feed over a data directory's journal.
     *
     * @param context what to follow and from when; concluded here.
     * @return the feed, positioned before the journal's first record.
     * @throws IllegalArgumentException if the context is not valid.
     * @throws IllegalStateException    if there is no journal, or its first segments were archived.
     * @throws UncheckedIOException     if the temporary cold tier cannot be made.
     */
    public static ChangeFeed open(final ChangeFeedContext context)
    {
        return new ChangeFeed(context.conclude());
    }

    /**
     * Read up to {@code recordLimit} journal records, apply them, and hand every change at or after the feed's
     * start to the listener, in order. Returns 0 when the feed has read everything written so far; call again to
     * follow the journal.
     *
     * @param listener    told of each change, during this call.
     * @param recordLimit journal records to read at most.
     * @return the journal records read.
     * @throws JournalException      if the journal is damaged (naming file, offset and sequence).
     * @throws IllegalStateException if the journal holds a record an older protocol version wrote.
     */
    public int poll(final LedgerChangeListener listener, final int recordLimit)
    {
        downstream = listener;
        try
        {
            return reader.poll(tap, recordLimit);
        }
        finally
        {
            downstream = null;
        }
    }

    /**
     * When a poll read nothing: whether the journal really ends at the feed's position, or holds a record the feed
     * could not read (damage). A writer may be publishing the next record as this runs, so a caller that sees damage
     * should ask again after a pause before it gives up, as the audit does.
     *
     * @return null if the journal ends at the feed's position, else what is wrong there.
     */
    public JournalException checkEnd()
    {
        return JournalVerifier.checkEnd(journalDirectory, reader.nextSequence());
    }

    /**
     * @return the timestamp of the last change handed on, or 0 before the first.
     */
    public long lastTimestampNanos()
    {
        return lastTimestampNanos;
    }

    /**
     * @return the timestamp of the last journal record read, or 0 before the first: how far the feed has got, by
     * the service's clock.
     */
    public long lastRecordTimestampNanos()
    {
        return lastRecordTimestampNanos;
    }

    /**
     * @return the sequence of the next journal record the feed will read.
     */
    public long nextSequence()
    {
        return reader.nextSequence();
    }

    /**
     * @return changes handed to a listener so far.
     */
    public long changesDelivered()
    {
        return changesDelivered;
    }

    /**
     * @return changes before the feed's start, replayed but not handed on.
     */
    public long changesSkipped()
    {
        return changesSkipped;
    }

    /**
     * @return the ledger the feed replays into: read it between polls, never change it.
     */
    public Ledger ledger()
    {
        return ledger;
    }

    /**
     * @return the context the feed was opened with.
     */
    public ChangeFeedContext context()
    {
        return context;
    }

    /**
     * Close the journal reader and delete the temporary cold tier.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.closeAll(reader, cold, coldDirectory);
        }
    }

    private final class Tap implements RecordHandler, LedgerChangeListener
    {
        public void onRecord(
            final int type,
            final long sequence,
            final long timestampNanos,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            lastRecordTimestampNanos = timestampNanos;
            applier.onRecord(type, sequence, timestampNanos, buffer, offset, length);
        }

        public void onChange(final LedgerChange change)
        {
            final long timestampNanos = change.timestampNanos();
            if (timestampNanos < fromTimestampNanos)
            {
                changesSkipped++;
                return;
            }
            lastTimestampNanos = timestampNanos;
            changesDelivered++;
            downstream.onChange(change);
        }
    }
}
