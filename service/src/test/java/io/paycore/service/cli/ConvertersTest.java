package io.paycore.service.cli;

import io.paycore.journal.FlushLevel;
import io.paycore.service.PaycoreMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvertersTest
{
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void captureErr()
    {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreErr()
    {
        System.setErr(savedErr);
    }

    @Test
    void shouldConvertSizesWithTheirSuffix()
    {
        final ByteSizeConverter converter = new ByteSizeConverter();

        assertEquals(4096, converter.convert("4096"));
        assertEquals(64 * 1024, converter.convert("64k"));
        assertEquals(64 * 1024 * 1024, converter.convert("64m"));
        assertEquals(1024 * 1024 * 1024, converter.convert("1g"));
        assertThrows(TypeConversionException.class, () -> converter.convert("2g"));
        assertThrows(TypeConversionException.class, () -> converter.convert("lots"));
    }

    @Test
    void shouldConvertDurationsToNanos()
    {
        final DurationNanosConverter converter = new DurationNanosConverter();

        assertEquals(TimeUnit.SECONDS.toNanos(2), converter.convert("2s"));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(100), converter.convert("100ms"));
        assertEquals(500L, converter.convert("500"));
        assertThrows(TypeConversionException.class, () -> converter.convert("soon"));
    }

    @Test
    void shouldConvertFlushLevels()
    {
        assertEquals(FlushLevel.BATCH, new FlushLevelConverter().convert("Batch"));
        assertThrows(TypeConversionException.class, () -> new FlushLevelConverter().convert("sometimes"));
    }

    @Test
    void shouldConvertTheLocalMedium()
    {
        final LocalChannelOption.MediumConverter converter = new LocalChannelOption.MediumConverter();
        assertEquals(LocalChannelOption.Medium.IPC, converter.convert("ipc"));
        assertEquals(LocalChannelOption.Medium.UDP, converter.convert("UDP"));
        assertThrows(TypeConversionException.class, () -> converter.convert("tcp"));
    }

    @Test
    void shouldShareTheLocalChannelOptionAndRefuseABadOne()
    {
        assertEquals(2, PaycoreMain.execute("demo", "--channel", "tcp"));
        final String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("--channel") && message.contains("must be ipc or udp"), message);
    }

    @Test
    void shouldRefuseABadValueNamingTheOption()
    {
        assertEquals(2, PaycoreMain.execute("serve", "--data", "unused", "--segment-length", "lots"));
        final String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("--segment-length"), message);
        assertTrue(message.contains("lots"), message);
    }

    /**
     * An instant past 2262 was called "not an ISO-8601 instant" until 2026-12-07; it is one, only too late for a
     * journal's nanosecond timestamps.
     */
    @Test
    void shouldSayAnInstantIsOutOfRangeRatherThanMalformed()
    {
        final InstantNanosConverter converter = new InstantNanosConverter();
        assertEquals(Long.MAX_VALUE, converter.convert("2262-04-11T23:47:16.854775807Z"));
        final TypeConversionException late =
            assertThrows(TypeConversionException.class, () -> converter.convert("2300-01-01T00:00:00Z"));
        assertTrue(late.getMessage().contains("outside what epoch nanoseconds hold") &&
            late.getMessage().contains("2262-04-11T23:47:16.854775807Z"), late.getMessage());
        final TypeConversionException malformed =
            assertThrows(TypeConversionException.class, () -> converter.convert("2300-01-01"));
        assertTrue(malformed.getMessage().contains("not an ISO-8601 instant"), malformed.getMessage());
    }

    /**
     * {@code --segment-length 2g} was answered "must be from 0 to less than 2g" until 2026-12-07, which reads as the
     * option's range where its help and the README say 64k..1g.
     */
    @Test
    void shouldPointAnOversizedSizeToTheOptionsOwnRange()
    {
        assertEquals(2, PaycoreMain.execute("serve", "--data", "unused", "--segment-length", "2g"));
        final String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("--segment-length") && message.contains("'2g' is out of range") &&
            message.contains("its help gives its own range"), message);
    }

    @Test
    void shouldShareTheLedgerLimitsBetweenServeAndAudit()
    {
        assertEquals(2, PaycoreMain.execute("audit", "--data", "unused", "--max-accounts", "many"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--max-accounts"), err.toString());
    }
}
