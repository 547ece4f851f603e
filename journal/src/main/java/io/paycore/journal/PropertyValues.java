package io.paycore.journal;

import java.util.Locale;

/**
 * Settings read from system properties, strictly: a value that does not parse is an error naming the property and
 * what it must be, never a silent fall back to the default as {@link Integer#getInteger(String, int)},
 * {@link Long#getLong(String, long)} and {@link Boolean#parseBoolean(String)} give. An operator who writes
 * {@code -Dpaycore.cold.prefetch.entries=64k} or {@code -Dpaycore.journal.preallocate=yes} is told so at start,
 * not left running on a default he did not ask for.
 * <p>
 * Numbers are read as {@link Integer#decode(String)} reads them (decimal, or hexadecimal after {@code 0x}), around
 * any spaces; an absent property gives the default. Bounds are the caller's: each context checks its own.
 */
public final class PropertyValues
{
    private PropertyValues()
    {
    }

    /**
     * @param name         the system property.
     * @param defaultValue the value when it is not set.
     * @return its value.
     * @throws InvalidValueException naming the property if it is set but not a 32-bit whole number.
     */
    public static int intValue(final String name, final int defaultValue)
    {
        final String value = System.getProperty(name);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            return Integer.decode(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new InvalidValueException(invalid(name, value) + "must be a whole number from " +
                Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
    }

    /**
     * @param name         the system property.
     * @param defaultValue the value when it is not set.
     * @return its value.
     * @throws InvalidValueException naming the property if it is set but not a 64-bit whole number.
     */
    public static long longValue(final String name, final long defaultValue)
    {
        final String value = System.getProperty(name);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            return Long.decode(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new InvalidValueException(invalid(name, value) + "must be a whole number from " +
                Long.MIN_VALUE + " to " + Long.MAX_VALUE);
        }
    }

    /**
     * @param name         the system property.
     * @param defaultValue the value when it is not set.
     * @return its value.
     * @throws InvalidValueException naming the property if it is set but neither {@code true} nor {@code false}
     *                               (in any case).
     */
    public static boolean booleanValue(final String name, final boolean defaultValue)
    {
        final String value = System.getProperty(name);
        if (null == value)
        {
            return defaultValue;
        }
        switch (value.trim().toLowerCase(Locale.ROOT))
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new InvalidValueException(invalid(name, value) + "must be true or false");
        }
    }

    private static String invalid(final String name, final String value)
    {
        return "-D" + name + "=" + value + ": ";
    }

    /**
     * A system property set to a value that does not parse: a usage error, whoever reads the property.
     */
    public static final class InvalidValueException extends IllegalArgumentException
    {
        private static final long serialVersionUID = 1L;

        InvalidValueException(final String message)
        {
            super(message);
        }

        /**
         * @param ex an exception, perhaps caused by an invalid property value (a command line tool that reads a
         *           property as it builds its commands may see it wrapped).
         * @return the invalid value's exception in its chain of causes, or null.
         */
        public static InvalidValueException in(final Throwable ex)
        {
            for (Throwable cause = ex; null != cause; cause = cause.getCause())
            {
                if (cause instanceof InvalidValueException)
                {
                    return (InvalidValueException)cause;
                }
            }
            return null;
        }
    }
}
