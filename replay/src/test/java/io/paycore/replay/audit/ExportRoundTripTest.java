package io.paycore.replay.audit;

import io.paycore.core.command.RecordTypes;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.journal.Journal;
import io.paycore.replay.DataDirectory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExportRoundTripTest
{
    @TempDir
    Path temp;

    @Test
    void shouldExportExactlyTheCommandsSentWithTheirResultsAsCsv() throws Exception
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final AuditRuns.Run run = AuditRuns.write(directory, 200, 11);
        final Path csv = temp.resolve("events.csv");

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory).exportFile(csv)
            .exportFormat(ExportFormat.CSV));

        assertNull(report.damage());
        final List<Map<String, String>> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.US_ASCII))
        {
            assertEquals(String.join(",", EventExporter.COLUMNS), reader.readLine());
            String line;
            while (null != (line = reader.readLine()))
            {
                final String[] values = line.split(",", -1);
                assertEquals(EventExporter.COLUMNS.length, values.length, line);
                final Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < values.length; i++)
                {
                    if (!values[i].isEmpty())
                    {
                        row.put(EventExporter.COLUMNS[i], values[i]);
                    }
                }
                rows.add(row);
            }
        }
        assertSameAsSent(run, rows);
        assertEquals(run.events.size(), report.exportedEvents());
        assertFalse(Files.exists(temp.resolve("events.csv.tmp")));
    }

    @Test
    void shouldExportExactlyTheCommandsSentWithTheirResultsAsJsonLines() throws Exception
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final AuditRuns.Run run = AuditRuns.write(directory, 200, 12);
        final Path jsonl = temp.resolve("events.jsonl");

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory).exportFile(jsonl)
            .exportFormat(ExportFormat.JSONL));

        assertNull(report.damage());
        final List<Map<String, String>> rows = new ArrayList<>();
        for (final String line : Files.readAllLines(jsonl, StandardCharsets.US_ASCII))
        {
            rows.add(parseFlatJson(line));
        }
        assertSameAsSent(run, rows);
    }

    @Test
    void shouldLeaveNoExportOfADamagedJournal() throws Exception
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final AuditRuns.Run run = AuditRuns.write(directory, 200, 13);
        final JournalFiles.Location location = JournalFiles.locate(directory.journalDirectory(),
            run.lastSequence - 3);
        try (RandomAccessFile raf = new RandomAccessFile(location.file.toFile(), "rw"))
        {
            raf.seek(location.offset + 40);
            final int b = raf.read();
            raf.seek(location.offset + 40);
            raf.write(b ^ 1);
        }
        final Path csv = temp.resolve("events.csv");

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory).exportFile(csv));

        assertNotNull(report.damage());
        assertFalse(Files.exists(csv), "an export of an unverified journal must not be left");
        assertFalse(Files.exists(temp.resolve("events.csv.tmp")));
        assertNull(report.exportFile());
    }

    @Test
    void shouldExportOnlyUpToTheEndPoint() throws Exception
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final AuditRuns.Run run = AuditRuns.write(directory, 100, 14);
        final long until = run.lastSequence / 2;
        final Path csv = temp.resolve("events.csv");

        Auditor.run(AuditRuns.auditContext(directory).exportFile(csv).untilSequence(until));

        final long expected = run.events.stream().filter((e) -> e.sequence <= until).count();
        assertEquals(expected + 1, Files.readAllLines(csv).size());
    }

    /**
     * An event's own {@code timestamp} is an unsigned 64-bit field (TigerBeetle's u64), exported "as sent" next to
     * {@code user_data_64}, which the exporter prints unsigned. The timestamp was printed as a signed long: a client
     * that sent 2^64 - 1 (answered {@code TIMESTAMP_MUST_BE_ZERO}, or an imported event's
     * {@code IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE}) shows in the export as -1: the export no longer says what was
     * sent, and a CSV or JSON reader expecting the documented unsigned integers meets a minus sign.
     */
    @Test
    void shouldExportAnEventsOwnTimestampAsUnsigned() throws Exception
    {
        final DataDirectory directory = new DataDirectory(temp.resolve("data"));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16 * 1024]);
        final AccountEventArray accounts = new AccountEventArray(2);
        accounts.add(1, 0, AuditRuns.LEDGER_A, 1, 0);
        accounts.add(2, 0, AuditRuns.LEDGER_A, 1, 0);
        final TransferEventArray transfers = new TransferEventArray(2);
        transfers.add().id(0, 10).debitAccountId(0, 1).creditAccountId(0, 2).amount(0, 5).ledger(AuditRuns.LEDGER_A)
            .code(1).userData64(-2L).timestamp(-1L);
        transfers.add().id(0, 11).debitAccountId(0, 1).creditAccountId(0, 2).amount(0, 5).ledger(AuditRuns.LEDGER_A)
            .code(1).flags(TransferFlags.IMPORTED).timestamp(Long.MIN_VALUE + 1);
        try (Journal journal = Journal.open(AuditRuns.journalContext(directory)))
        {
            final RequestEncoder encoder = new RequestEncoder();
            journal.append(RecordTypes.MESSAGE, AuditRuns.START_NANOS, buffer, 0,
                encoder.createAccounts(buffer, 0, 1, accounts));
            journal.append(RecordTypes.MESSAGE, AuditRuns.START_NANOS + 1_000, buffer, 0,
                encoder.createTransfers(buffer, 0, 2, transfers));
        }
        final Path csv = temp.resolve("events.csv");

        final AuditReport report = Auditor.run(AuditRuns.auditContext(directory).exportFile(csv));

        assertNull(report.damage());
        final List<String> lines = Files.readAllLines(csv);
        assertEquals(5, lines.size(), String.join("\n", lines));
        final List<String> columns = List.of(EventExporter.COLUMNS);
        final String[] first = lines.get(3).split(",", -1);
        final String[] second = lines.get(4).split(",", -1);
        assertEquals("18446744073709551614", first[columns.indexOf("user_data_64")], lines.get(3));
        assertEquals("18446744073709551615", first[columns.indexOf("timestamp")], lines.get(3));
        assertEquals("9223372036854775809", second[columns.indexOf("timestamp")], lines.get(4));
        for (final String line : lines)
        {
            assertFalse(line.contains("-"), "no negative number in an export of unsigned fields: " + line);
        }
    }

    private static void assertSameAsSent(final AuditRuns.Run run, final List<Map<String, String>> rows)
    {
        assertEquals(run.events.size(), rows.size(), "one row per event sent");
        assertTrue(run.events.stream().anyMatch((e) -> !"OK".equals(e.result)), "the run should have failures");
        for (int i = 0; i < rows.size(); i++)
        {
            final AuditRuns.Sent sent = run.events.get(i);
            final Map<String, String> expected = new LinkedHashMap<>();
            expected.put("sequence", "" + sent.sequence);
            expected.put("timestamp_nanos", "" + sent.timestampNanos);
            expected.put("message", sent.message);
            expected.put("correlation_id", "" + sent.correlationId);
            expected.put("index", "" + sent.index);
            expected.put("id", "" + sent.id);
            if (sent.transfer)
            {
                expected.put("debit_account_id", "" + sent.debitAccountId);
                expected.put("credit_account_id", "" + sent.creditAccountId);
                expected.put("amount", "" + sent.amount);
                expected.put("pending_id", "" + sent.pendingId);
            }
            expected.put("user_data_128", "" + sent.userData128);
            expected.put("user_data_64", Long.toUnsignedString(sent.userData64));
            expected.put("user_data_32", "" + sent.userData32);
            expected.put("ledger", "" + sent.ledger);
            expected.put("code", "" + sent.code);
            expected.put("flags", "" + sent.flags);
            if (sent.transfer)
            {
                expected.put("timeout_seconds", "" + sent.timeoutSeconds);
            }
            expected.put("timestamp", "" + sent.timestamp);
            expected.put("result", sent.result);
            expected.put("result_timestamp_nanos", "" + sent.resultTimestampNanos);
            if (null != sent.amountMoved)
            {
                expected.put("amount_moved", "" + sent.amountMoved);
            }
            assertEquals(expected, rows.get(i), "row " + i);
            if (sent.transfer && null != sent.amountMoved && 0 == (sent.flags & TransferFlags.POST_PENDING) &&
                0 == (sent.flags & TransferFlags.VOID_PENDING))
            {
                assertEquals(sent.amount, sent.amountMoved, "row " + i + ": a plain transfer moves what it asks");
            }
        }
        assertTrue(run.events.stream().anyMatch((e) -> e.transfer && null != e.amountMoved && !e.amountMoved.equals(e.amount)),
            "the run should have a post of AMOUNT_MAX, whose amount moved is not the amount sent");
        assertTrue(run.events.stream().anyMatch((e) -> e.transfer && e.amount.bitLength() > 64 &&
            e.userData128.bitLength() > 64 && "OK".equals(e.result)),
            "the run should have an amount and user data past 2^64, applied");
    }

    private static Map<String, String> parseFlatJson(final String line)
    {
        assertTrue(line.startsWith("{") && line.endsWith("}"), line);
        final Map<String, String> map = new LinkedHashMap<>();
        for (final String pair : line.substring(1, line.length() - 1).split(","))
        {
            final int colon = pair.indexOf(':');
            final String key = pair.substring(0, colon);
            assertTrue(key.startsWith("\"") && key.endsWith("\""), pair);
            String value = pair.substring(colon + 1);
            if (value.startsWith("\""))
            {
                assertTrue(value.endsWith("\""), pair);
                value = value.substring(1, value.length() - 1);
            }
            else
            {
                Long.parseLong(value);
            }
            map.put(key.substring(1, key.length() - 1), value);
        }
        return map;
    }
}
