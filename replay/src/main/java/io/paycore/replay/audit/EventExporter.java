package io.paycore.replay.audit;

import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.SbeAccountEvents;
import io.paycore.core.ledger.SbeTransferEvents;
import io.paycore.core.ledger.TransferResults;
import io.paycore.core.ledger.UInt128;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Streams every command event of a replay to a file, one row per event, with its record's sequence and timestamp,
 * the fields as sent and the result the ledger gave. Memory is constant whatever the journal's size: one reused
 * line buffer and a {@value #WRITE_BUFFER_CHARS}-char write buffer.
 * <p>
 * Command events are the events of {@code CreateAccounts} and {@code CreateTransfers} messages; lookups, ticks and
 * session messages change nothing and are not exported. Columns ({@link ExportFormat#CSV}, in this order, after a
 * header line naming them) and keys ({@link ExportFormat#JSONL}, same names):
 * <pre>
 *   sequence                journal sequence of the record carrying the event
 *   timestamp_nanos         the record's timestamp, epoch nanoseconds (stamped by ingress)
 *   message                 CreateAccounts or CreateTransfers
 *   correlation_id          the message's correlation id, as the client sent it
 *   index                   position of the event in its message, from 0
 *   id                      account or transfer id, unsigned 128-bit
 *   debit_account_id        transfers only, as sent (0 on a post or void means "the pending's"), unsigned 128-bit
 *   credit_account_id       transfers only, as sent, unsigned 128-bit
 *   amount                  transfers only, minor units, as sent, unsigned 128-bit
 *   pending_id              transfers only, unsigned 128-bit
 *   user_data_128           as sent, unsigned 128-bit
 *   user_data_64            as sent, unsigned 64-bit
 *   user_data_32            as sent, unsigned 32-bit
 *   ledger                  as sent, unsigned 32-bit
 *   code                    as sent, unsigned 16-bit
 *   flags                   as sent, decimal (TigerBeetle's account and transfer flags)
 *   timeout_seconds         transfers only, unsigned 32-bit
 *   timestamp               the event's own, as sent: 0, or an imported event's time (nanoseconds), unsigned 64-bit
 *   result                  the result code's name, e.g. OK, EXISTS, EXCEEDS_CREDITS
 *   result_timestamp_nanos  the timestamp the ledger assigned on OK, the original one on EXISTS, else the event's
 *                           own (the time it was validated)
 *   amount_moved            transfers answered OK only: the amount the transfer recorded, which is the amount sent
 *                           except for a balancing transfer (lowered to what the balances allowed), a post of
 *                           AMOUNT_MAX (the pending amount) and a void (the pending amount released)
 * </pre>
 * In CSV a column that does not apply (a transfer field of an account event) is empty; in JSONL its key is left
 * out. Ids, account ids, amounts, pending ids and user_data_128 are unsigned 128-bit decimals, which JSONL quotes
 * as strings so that no reader rounds them to doubles; the other values are decimal integers (user_data_64 up to
 * 2<sup>64</sup> - 1, and so the event's own timestamp as sent: parse them as unsigned 64-bit integers) or
 * upper-case names.
 * <p>
 * <b>Threading</b>: one thread (the replaying one).
 */
public final class EventExporter implements AutoCloseable
{
    /**
     * The CSV columns and JSONL keys, in order.
     */
    public static final String[] COLUMNS = {
        "sequence", "timestamp_nanos", "message", "correlation_id", "index", "id", "debit_account_id",
        "credit_account_id", "amount", "pending_id", "user_data_128", "user_data_64", "user_data_32", "ledger", "code",
        "flags", "timeout_seconds", "timestamp", "result", "result_timestamp_nanos", "amount_moved" };

    /**
     * Size of the write buffer in chars.
     */
    public static final int WRITE_BUFFER_CHARS = 64 * 1024;

    private static final String CREATE_ACCOUNTS = "CreateAccounts";
    private static final String CREATE_TRANSFERS = "CreateTransfers";

    private final Path file;
    private final ExportFormat format;
    private final Writer writer;
    private final StringBuilder line = new StringBuilder(512);
    private final char[] chars = new char[WRITE_BUFFER_CHARS];
    private int charsUsed;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final CreateAccountsDecoder createAccountsDecoder = new CreateAccountsDecoder();
    private final CreateTransfersDecoder createTransfersDecoder = new CreateTransfersDecoder();
    private final SbeAccountEvents accountEvents = new SbeAccountEvents();
    private final SbeTransferEvents transferEvents = new SbeTransferEvents();
    private long eventsWritten;
    private int column;
    private boolean closed;

    /**
     * Create (or truncate) the file and, for CSV, write the header line.
     *
     * @param file   to write.
     * @param format of the rows.
     * @throws UncheckedIOException naming the file if it cannot be created.
     */
    public EventExporter(final Path file, final ExportFormat format)
    {
        this.file = file;
        this.format = format;
        try
        {
            writer = new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create export file " + file + ": " + reason(file, ex), ex);
        }
        if (ExportFormat.CSV == format)
        {
            line.setLength(0);
            line.append(String.join(",", COLUMNS)).append('\n');
            flushLine();
        }
    }

    /**
     * Why the file could not be created, in words: a NoSuchFileException's message is only the path.
     */
    private static String reason(final Path file, final IOException ex)
    {
        final Path parent = file.toAbsolutePath().getParent();
        if (ex instanceof NoSuchFileException && null != parent)
        {
            return Files.exists(parent) ? parent + " is not a directory" : "no such directory " + parent;
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        if (ex instanceof FileSystemException && null != ((FileSystemException)ex).getReason())
        {
            return ((FileSystemException)ex).getReason();
        }
        return null != ex.getMessage() ? ex.getMessage() : ex.toString();
    }

    /**
     * @return the file written.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return the format written.
     */
    public ExportFormat format()
    {
        return format;
    }

    /**
     * @return rows written so far, the header line not counted.
     */
    public long eventsWritten()
    {
        return eventsWritten;
    }

    /**
     * Export the events of the record a processor has just applied, with the results it gave.
     *
     * @param sequence       of the record.
     * @param timestampNanos of the record.
     * @param buffer         holding the record's payload, the message as journaled.
     * @param offset         of the payload.
     * @param processor      that has just applied the record; its {@link CommandProcessor#lastTemplateId()}
     *                       selects what is exported.
     * @throws UncheckedIOException naming the file if writing fails.
     */
    public void onApplied(
        final long sequence,
        final long timestampNanos,
        final DirectBuffer buffer,
        final int offset,
        final CommandProcessor processor)
    {
        final int templateId = processor.lastTemplateId();
        if (CreateTransfersDecoder.TEMPLATE_ID == templateId)
        {
            headerDecoder.wrap(buffer, offset);
            createTransfersDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            final long correlationId = createTransfersDecoder.correlationId();
            final SbeTransferEvents events = transferEvents.wrap(buffer, offset);
            final TransferResults results = processor.transferResults();
            for (int i = 0, n = events.count(); i < n; i++)
            {
                begin(sequence, timestampNanos, CREATE_TRANSFERS, correlationId, i, events.idHi(i), events.idLo(i));
                u128("debit_account_id", events.debitAccountIdHi(i), events.debitAccountIdLo(i));
                u128("credit_account_id", events.creditAccountIdHi(i), events.creditAccountIdLo(i));
                u128("amount", events.amountHi(i), events.amountLo(i));
                u128("pending_id", events.pendingIdHi(i), events.pendingIdLo(i));
                u128("user_data_128", events.userData128Hi(i), events.userData128Lo(i));
                unsigned("user_data_64", events.userData64(i));
                number("user_data_32", events.userData32(i));
                number("ledger", events.ledger(i));
                number("code", events.code(i));
                number("flags", events.flags(i));
                number("timeout_seconds", events.timeoutSeconds(i));
                unsigned("timestamp", events.timestamp(i));
                final CreateTransferResult result = results.result(i);
                end(result.name(), results.timestamp(i));
                if (CreateTransferResult.OK == result)
                {
                    // The record, found after the whole batch was applied: a transfer's amount never changes.
                    final Ledger ledger = processor.ledger();
                    final int index = ledger.transferIndex(events.idHi(i), events.idLo(i));
                    u128("amount_moved", ledger.transferAmountHi(index), ledger.transferAmountLo(index));
                }
                else
                {
                    absent("amount_moved");
                }
                endLine();
            }
        }
        else if (CreateAccountsDecoder.TEMPLATE_ID == templateId)
        {
            headerDecoder.wrap(buffer, offset);
            createAccountsDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            final long correlationId = createAccountsDecoder.correlationId();
            final SbeAccountEvents events = accountEvents.wrap(buffer, offset);
            final AccountResults results = processor.accountResults();
            for (int i = 0, n = events.count(); i < n; i++)
            {
                begin(sequence, timestampNanos, CREATE_ACCOUNTS, correlationId, i, events.idHi(i), events.idLo(i));
                absent("debit_account_id");
                absent("credit_account_id");
                absent("amount");
                absent("pending_id");
                u128("user_data_128", events.userData128Hi(i), events.userData128Lo(i));
                unsigned("user_data_64", events.userData64(i));
                number("user_data_32", events.userData32(i));
                number("ledger", events.ledger(i));
                number("code", events.code(i));
                number("flags", events.flags(i));
                absent("timeout_seconds");
                unsigned("timestamp", events.timestamp(i));
                end(results.result(i).name(), results.timestamp(i));
                absent("amount_moved");
                endLine();
            }
        }
    }

    /**
     * Write out what is buffered and close the file. Safe to call more than once.
     *
     * @throws UncheckedIOException naming the file if writing fails.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                try
                {
                    drain();
                }
                finally
                {
                    writer.close();
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot write export file " + file + ": " + ex.getMessage(), ex);
            }
        }
    }

    private void begin(
        final long sequence,
        final long timestampNanos,
        final String message,
        final long correlationId,
        final int index,
        final long idHi,
        final long idLo)
    {
        line.setLength(0);
        column = 0;
        if (ExportFormat.JSONL == format)
        {
            line.append('{');
        }
        number("sequence", sequence);
        number("timestamp_nanos", timestampNanos);
        name("message", message);
        number("correlation_id", correlationId);
        number("index", index);
        u128("id", idHi, idLo);
    }

    private void end(final String result, final long resultTimestampNanos)
    {
        name("result", result);
        number("result_timestamp_nanos", resultTimestampNanos);
    }

    private void endLine()
    {
        line.append(ExportFormat.JSONL == format ? "}\n" : "\n");
        eventsWritten++;
        flushLine();
    }

    private void number(final String key, final long value)
    {
        separator(key);
        line.append(value);
    }

    /**
     * An unsigned 128-bit value in decimal; in JSONL a string, so that no reader rounds it to a double.
     */
    private void u128(final String key, final long hi, final long lo)
    {
        separator(key);
        final boolean quoted = ExportFormat.JSONL == format;
        if (quoted)
        {
            line.append('"');
        }
        line.append(UInt128.toString(hi, lo));
        if (quoted)
        {
            line.append('"');
        }
    }

    private void unsigned(final String key, final long value)
    {
        separator(key);
        line.append(Long.toUnsignedString(value));
    }

    private void name(final String key, final String value)
    {
        separator(key);
        if (ExportFormat.JSONL == format)
        {
            line.append('"').append(value).append('"');
        }
        else
        {
            line.append(value);
        }
    }

    private void absent(final String key)
    {
        if (ExportFormat.CSV == format)
        {
            line.append(',');
            column++;
        }
    }

    private void separator(final String key)
    {
        if (ExportFormat.JSONL == format)
        {
            if (column > 0)
            {
                line.append(',');
            }
            line.append('"').append(key).append("\":");
        }
        else if (column > 0)
        {
            line.append(',');
        }
        column++;
    }

    private void flushLine()
    {
        final int length = line.length();
        if (length > chars.length - charsUsed)
        {
            drainQuietly();
        }
        line.getChars(0, length, chars, charsUsed);
        charsUsed += length;
    }

    private void drainQuietly()
    {
        try
        {
            drain();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write export file " + file + ": " + ex.getMessage(), ex);
        }
    }

    private void drain() throws IOException
    {
        writer.write(chars, 0, charsUsed);
        charsUsed = 0;
    }
}
