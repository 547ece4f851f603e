package io.paycore.service.cli;

import org.agrona.SystemUtil;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A duration with an optional {@code s}, {@code ms}, {@code us} or {@code ns} suffix (no suffix: nanoseconds), such
 * as {@code 100ms}, to nanoseconds.
 */
public final class DurationNanosConverter implements ITypeConverter<Long>
{
    /**
     * {@inheritDoc}
     */
    public Long convert(final String value)
    {
        final long nanos;
        try
        {
            nanos = SystemUtil.parseDuration("duration", value);
        }
        catch (final NumberFormatException ex)
        {
            throw new TypeConversionException("'" + value + "' is not a duration such as 2s, 100ms, 50us or 500ns");
        }
        if (nanos < 0)
        {
            throw new TypeConversionException("'" + value + "' must not be negative");
        }

        return nanos;
    }
}
