package io.paycore.service.cli;

import org.agrona.SystemUtil;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A length in bytes with an optional {@code k}, {@code m} or {@code g} suffix (powers of 1,024), such as {@code 64m},
 * to an {@code int} number of bytes.
 */
public final class ByteSizeConverter implements ITypeConverter<Integer>
{
    /**
     * {@inheritDoc}
     */
    public Integer convert(final String value)
    {
        final long bytes;
        try
        {
            bytes = SystemUtil.parseSize("size", value);
        }
        catch (final NumberFormatException ex)
        {
            throw new TypeConversionException("'" + value + "' is not a size in bytes such as 4096, 64k, 64m or 1g");
        }
        if (bytes < 0 || bytes > Integer.MAX_VALUE)
        {
            // The option's own range, narrower, is in its help and checked after; this one is the type's.
            throw new TypeConversionException("'" + value + "' is out of range: this option takes less than 2g, " +
                "and its help gives its own range");
        }

        return (int)bytes;
    }
}
