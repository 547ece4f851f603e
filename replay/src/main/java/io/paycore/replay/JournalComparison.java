package io.paycore.replay;

import io.paycore.codec.sbe.ConnectDecoder;
import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.LookupAccountsDecoder;
import io.paycore.codec.sbe.LookupTransfersDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.VarAsciiEncodingDecoder;
import io.paycore.core.command.RecordTypes;
import io.paycore.journal.JournalArchive;
import io.paycore.journal.JournalException;
import io.paycore.journal.JournalReader;
import io.paycore.journal.JournalVerifier;
import io.paycore.journal.RecordHandler;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Two journals compared record by record, over the records both hold: where two members of a cluster (or a journal
 * and its copy) stop holding the same history, and what each holds there. Records are equal when their type,
 * timestamp and payload are; the checksum chain is not compared (it follows from those), nor are the credential
 * bytes of a {@code Connect} (a cluster member journals them zeroed since 2026-12-07, in clear before: both are the
 * same history). Reads both journals once, verifying each record as a replay does; memory is two records.
 */
public final class JournalComparison
{
    private static final int END_RETRIES = 5;
    private static final long END_RETRY_PAUSE_NANOS = 10_000_000L;
    private static final int VAR_DATA_LENGTH_BYTES = VarAsciiEncodingDecoder.varDataEncodingOffset();

    private JournalComparison()
    {
    }

    /**
     * What a comparison found.
     *
     * @param firstSequence   the first record both journals hold (the later of their first records: an archived
     *                        journal starts past 1).
     * @param lastSequenceA   the last record of the first journal (its first record - 1 if it holds none).
     * @param lastSequenceB   the last record of the second journal.
     * @param firstDifference the first record both hold that differs, or 0 if they agree on every one.
     * @param recordA         what the first journal holds at {@code firstDifference}, or null.
     * @param recordB         what the second journal holds there, or null.
     * @param difference      in what the two records differ, or null.
     */
    public record Result(
        long firstSequence,
        long lastSequenceA,
        long lastSequenceB,
        long firstDifference,
        String recordA,
        String recordB,
        String difference)
    {
        /**
         * @return whether the journals hold the same records wherever both hold one (one may hold more).
         */
        public boolean agrees()
        {
            return 0 == firstDifference;
        }

        /**
         * @return the last record both journals hold.
         */
        public long lastCommonSequence()
        {
            return Math.min(lastSequenceA, lastSequenceB);
        }
    }

    /**
     * Compare two journals.
     *
     * @param journalA a journal directory.
     * @param journalB another.
     * @return what was found; when the journals differ, the records after the first difference are not compared
     * (but still counted for the ends).
     * @throws JournalException if a journal is missing or a record in it is damaged.
     */
    public static Result compare(final Path journalA, final Path journalB)
    {
        final long firstA = firstSequence(journalA);
        final long firstB = firstSequence(journalB);
        final long first = Math.max(firstA, firstB);
        final Copy a = new Copy();
        final Copy b = new Copy();
        try (JournalReader readerA = JournalReader.open(journalA, first);
            JournalReader readerB = JournalReader.open(journalB, first))
        {
            long firstDifference = 0;
            String recordA = null;
            String recordB = null;
            String difference = null;
            while (true)
            {
                final boolean heldA = readerA.poll(a, 1) > 0;
                final boolean heldB = readerB.poll(b, 1) > 0;
                if (!heldA || !heldB)
                {
                    break;
                }
                difference = difference(a.type, a.timestampNanos, a.buffer, 0, a.length,
                    b.type, b.timestampNanos, b.buffer, 0, b.length);
                if (null != difference)
                {
                    firstDifference = a.sequence;
                    recordA = describe(a.type, a.timestampNanos, a.buffer, 0, a.length);
                    recordB = describe(b.type, b.timestampNanos, b.buffer, 0, b.length);
                    break;
                }
            }
            final long lastA = drain(readerA, journalA);
            final long lastB = drain(readerB, journalB);
            return new Result(first, lastA, lastB, firstDifference, recordA, recordB, difference);
        }
    }

    /**
     * In what two records differ.
     *
     * @return null if their type, timestamp and payload are equal (a {@code Connect}'s credential bytes aside,
     * where both records hold it at the same place and length: see {@link #redactCredential}); else which of them
     * differs first ("type", "timestamp", "length", or "payload from byte N").
     */
    public static String difference(
        final int typeA,
        final long timestampNanosA,
        final DirectBuffer bufferA,
        final int offsetA,
        final int lengthA,
        final int typeB,
        final long timestampNanosB,
        final DirectBuffer bufferB,
        final int offsetB,
        final int lengthB)
    {
        if (typeA != typeB)
        {
            return "type";
        }
        if (timestampNanosA != timestampNanosB)
        {
            return "timestamp";
        }
        final int length = Math.min(lengthA, lengthB);
        final int credentialStart = credentialStart(typeA, bufferA, offsetA, lengthA);
        final int credentialEnd = credentialStart < 0 ||
            credentialStart != credentialStart(typeB, bufferB, offsetB, lengthB) ? credentialStart :
            credentialStart + uint16(bufferA, offsetA + credentialStart - VAR_DATA_LENGTH_BYTES);
        for (int i = 0; i < length; i++)
        {
            if (i >= credentialStart && i < credentialEnd)
            {
                continue;
            }
            if (bufferA.getByte(offsetA + i) != bufferB.getByte(offsetB + i))
            {
                return "payload from byte " + i;
            }
        }
        return lengthA != lengthB ? "length" : null;
    }

    /**
     * Zero the credential's bytes of a {@code Connect} message, in place, keeping its length: the message stays as
     * valid and as long as it was, and applies as it did (a {@code Connect} does not touch the ledger), but holds no
     * secret. Anything else is left as it is.
     *
     * @param buffer holding the message.
     * @param offset of the message's first byte.
     * @param length of the message.
     * @return whether the message is a {@code Connect} whose credential was zeroed.
     */
    public static boolean redactCredential(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final int start = credentialStart(RecordTypes.MESSAGE, buffer, offset, length);
        if (start < 0)
        {
            return false;
        }
        buffer.setMemory(offset + start, uint16(buffer, offset + start - VAR_DATA_LENGTH_BYTES), (byte)0);
        return true;
    }

    /**
     * @return where a {@code Connect} message record's credential bytes start, from the record's first byte, when
     * they lie inside it; else -1.
     */
    private static int credentialStart(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        if (RecordTypes.MESSAGE != type || length < MessageHeaderDecoder.ENCODED_LENGTH ||
            MessageHeaderDecoder.SCHEMA_ID != uint16(buffer, offset + MessageHeaderDecoder.schemaIdEncodingOffset()) ||
            ConnectDecoder.TEMPLATE_ID != uint16(buffer, offset + MessageHeaderDecoder.templateIdEncodingOffset()))
        {
            return -1;
        }
        // The credential is the first var data field, after the root block (as long as the header says: a newer
        // version's may be longer).
        final int lengthAt = MessageHeaderDecoder.ENCODED_LENGTH +
            uint16(buffer, offset + MessageHeaderDecoder.blockLengthEncodingOffset());
        final int start = lengthAt + VAR_DATA_LENGTH_BYTES;
        if (start > length || start + uint16(buffer, offset + lengthAt) > length)
        {
            return -1;
        }
        return start;
    }

    private static int uint16(final DirectBuffer buffer, final int index)
    {
        return buffer.getShort(index, MessageHeaderDecoder.BYTE_ORDER) & 0xFFFF;
    }

    /**
     * A record for a report: its type, what message it holds (template and correlation id) and its time.
     *
     * @return e.g. {@code MESSAGE CreateTransfers (correlation 17), 8,264 bytes, at 2026-12-06T18:30:00.000000001Z
     * (1796581800000000001 ns)}.
     */
    public static String describe(
        final int type, final long timestampNanos, final DirectBuffer buffer, final int offset, final int length)
    {
        final StringBuilder text = new StringBuilder(RecordTypes.name(type));
        if (RecordTypes.MESSAGE == type && length >= MessageHeaderDecoder.ENCODED_LENGTH)
        {
            final int templateId = buffer.getShort(offset + MessageHeaderDecoder.templateIdEncodingOffset(),
                MessageHeaderDecoder.BYTE_ORDER) & 0xFFFF;
            text.append(' ').append(templateName(templateId));
            if (length >= MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES)
            {
                // Every paycore request starts with its correlation id.
                text.append(" (correlation ").append(buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH,
                    MessageHeaderDecoder.BYTE_ORDER)).append(')');
            }
        }
        text.append(", ").append(String.format(Locale.ROOT, "%,d", length)).append(" bytes, at ")
            .append(Instant.ofEpochSecond(0, timestampNanos)).append(" (").append(timestampNanos).append(" ns)");
        return text.toString();
    }

    /**
     * @param templateId of a request.
     * @return the request's name, or {@code "template N"} for one an audit does not count by name.
     */
    public static String templateName(final int templateId)
    {
        switch (templateId)
        {
            case CreateAccountsDecoder.TEMPLATE_ID:
                return "CreateAccounts";
            case CreateTransfersDecoder.TEMPLATE_ID:
                return "CreateTransfers";
            case LookupAccountsDecoder.TEMPLATE_ID:
                return "LookupAccounts";
            case LookupTransfersDecoder.TEMPLATE_ID:
                return "LookupTransfers";
            case ConnectDecoder.TEMPLATE_ID:
                return "Connect";
            default:
                return "template " + templateId;
        }
    }

    private static long firstSequence(final Path journal)
    {
        if (!Files.isDirectory(journal))
        {
            throw new JournalException("no journal in " + journal);
        }
        return JournalArchive.firstSequence(journal);
    }

    /**
     * Read to the journal's end, then check that nothing follows it, as an audit does: a reader stops at a record
     * that is not there yet, so a zeroed record (or a gap before a later segment) would otherwise look like the end
     * and hide the damage and every record after it.
     */
    private static long drain(final JournalReader reader, final Path journal)
    {
        final RecordHandler skip = (type, sequence, timestampNanos, buffer, offset, length) -> {};
        int retries = 0;
        while (true)
        {
            if (reader.poll(skip, 4096) > 0)
            {
                retries = 0;
                continue;
            }
            final JournalException problem = JournalVerifier.checkEnd(journal, reader.nextSequence());
            if (null == problem)
            {
                return reader.nextSequence() - 1;
            }
            if (++retries > END_RETRIES)
            {
                throw problem;
            }
            LockSupport.parkNanos(END_RETRY_PAUSE_NANOS); // a live writer may be publishing that record
        }
    }

    /**
     * The last record a reader gave, copied: the next poll may move its segment.
     */
    private static final class Copy implements RecordHandler
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        int type;
        long sequence;
        long timestampNanos;
        int length;

        public void onRecord(
            final int type, final long sequence, final long timestampNanos, final DirectBuffer buffer,
            final int offset, final int length)
        {
            this.type = type;
            this.sequence = sequence;
            this.timestampNanos = timestampNanos;
            this.length = length;
            this.buffer.putBytes(0, buffer, offset, length);
        }
    }
}
