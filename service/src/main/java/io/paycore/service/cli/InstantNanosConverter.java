package io.paycore.service.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time as the journal stamps it, epoch nanoseconds: given as an ISO-8601 instant
 * ({@code 2026-11-22T09:30:00Z}, with an offset or fractions of a second if wanted) or as epoch nanoseconds.
 */
public final class InstantNanosConverter implements ITypeConverter<Long>
{
    /**
     * {@inheritDoc}
     */
    public Long convert(final String value)
    {
        try
        {
            return parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TypeConversionException(ex.getMessage());
        }
    }

    /**
     * Parse an ISO-8601 instant or epoch nanoseconds.
     *
     * @param text to parse.
     * @return epoch nanoseconds.
     * @throws IllegalArgumentException if it is neither, or out of range.
     */
    public static long parse(final String text)
    {
        final String trimmed = text.trim();
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit))
        {
            try
            {
                return Long.parseLong(trimmed);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("'" + text + "' is out of range for epoch nanoseconds", ex);
            }
        }
        final Instant instant;
        try
        {
            instant = Instant.parse(trimmed);
        }
        catch (final DateTimeParseException ex)
        {
            throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 instant (e.g. " +
                "2026-11-22T09:30:00Z) or epoch nanoseconds", ex);
        }
        try
        {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (final ArithmeticException ex)
        {
            throw new IllegalArgumentException("'" + text + "' is outside what epoch nanoseconds hold, " +
                Instant.ofEpochSecond(0, Long.MIN_VALUE) + " to " + Instant.ofEpochSecond(0, Long.MAX_VALUE), ex);
        }
    }
}
