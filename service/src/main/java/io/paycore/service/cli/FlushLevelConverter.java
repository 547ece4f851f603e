package io.paycore.service.cli;

import io.paycore.journal.FlushLevel;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code none}, {@code batch} or {@code every} to the journal's {@link FlushLevel}.
 */
public final class FlushLevelConverter implements ITypeConverter<FlushLevel>
{
    /**
     * {@inheritDoc}
     */
    public FlushLevel convert(final String value)
    {
        try
        {
            return FlushLevel.parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TypeConversionException(ex.getMessage());
        }
    }
}
