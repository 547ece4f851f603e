package io.paycore.service.cli;

import org.agrona.SystemUtil;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A length in bytes with an optional {@code k}, {@code m}, {@code g} or {@code t} suffix (powers of 1,024), such as
 * {@code 256g}, to a {@code long} number of bytes: for sizes that may pass 2 GiB.
 */
public final class LongByteSizeConverter implements ITypeConverter<Long>
{
    /**
     * {@inheritDoc}
     */
    public Long convert(final String value)
    {
        final String trimmed = value.trim();
        final boolean tebibytes = trimmed.endsWith("t") || trimmed.endsWith("T");
        final long bytes;
        try
        {
            bytes = tebibytes ?
                Math.multiplyExact(SystemUtil.parseSize("size", trimmed.substring(0, trimmed.length() - 1)), 1L << 40) :
                SystemUtil.parseSize("size", trimmed);
        }
        catch (final NumberFormatException | ArithmeticException ex)
        {
            throw new TypeConversionException("'" + value + "' is not a size in bytes such as 0, 64m, 256g or 1t");
        }
        if (bytes < 0)
        {
            throw new TypeConversionException("'" + value + "' must not be negative");
        }

        return bytes;
    }
}
