package io.paycore.journal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PropertyValuesTest
{
    private static final String NAME = "paycore.test.property.values";

    @AfterEach
    void clear()
    {
        System.clearProperty(NAME);
    }

    @Test
    void shouldGiveTheDefaultWhenNotSet()
    {
        assertEquals(7, PropertyValues.intValue(NAME, 7));
        assertEquals(-3L, PropertyValues.longValue(NAME, -3L));
        assertTrue(PropertyValues.booleanValue(NAME, true));
        assertFalse(PropertyValues.booleanValue(NAME, false));
    }

    @Test
    void shouldReadWholeNumbersAsIntegerDecodeDoesAroundSpaces()
    {
        System.setProperty(NAME, " 65536 ");
        assertEquals(65536, PropertyValues.intValue(NAME, 1));
        System.setProperty(NAME, "0x10");
        assertEquals(16, PropertyValues.intValue(NAME, 1));
        System.setProperty(NAME, "-9223372036854775808");
        assertEquals(Long.MIN_VALUE, PropertyValues.longValue(NAME, 1));
    }

    /**
     * {@link Integer#getInteger(String, int)} gave the default for each of these, so a setting an operator made was
     * silently not applied.
     */
    @Test
    void shouldRefuseWhatDoesNotParseNamingThePropertyAndItsValue()
    {
        for (final String value : new String[]{ "64k", "", "1.5", "2147483648", "ten" })
        {
            System.setProperty(NAME, value);
            final IllegalArgumentException ex = assertThrows(
                PropertyValues.InvalidValueException.class, () -> PropertyValues.intValue(NAME, 1));
            assertEquals("-D" + NAME + "=" + value + ": must be a whole number from -2147483648 to 2147483647",
                ex.getMessage());
        }
        System.setProperty(NAME, "9223372036854775808");
        assertThrows(PropertyValues.InvalidValueException.class, () -> PropertyValues.longValue(NAME, 1));
    }

    /**
     * {@link Boolean#parseBoolean(String)} took anything but "true" for false: {@code -D...preallocate=yes} turned
     * preallocation off.
     */
    @Test
    void shouldReadOnlyTrueOrFalse()
    {
        System.setProperty(NAME, "TRUE");
        assertTrue(PropertyValues.booleanValue(NAME, false));
        System.setProperty(NAME, " false");
        assertFalse(PropertyValues.booleanValue(NAME, true));
        for (final String value : new String[]{ "yes", "1", "on", "" })
        {
            System.setProperty(NAME, value);
            final IllegalArgumentException ex = assertThrows(
                PropertyValues.InvalidValueException.class, () -> PropertyValues.booleanValue(NAME, true));
            assertEquals("-D" + NAME + "=" + value + ": must be true or false", ex.getMessage());
        }
    }

    @Test
    void shouldFindTheInvalidValueAmongCauses()
    {
        System.setProperty(NAME, "x");
        final PropertyValues.InvalidValueException invalid = assertThrows(
            PropertyValues.InvalidValueException.class, () -> PropertyValues.intValue(NAME, 1));
        final RuntimeException wrapped = new IllegalStateException("cannot make the command", invalid);

        assertSame(invalid, PropertyValues.InvalidValueException.in(wrapped));
        assertNull(PropertyValues.InvalidValueException.in(new IllegalStateException("other")));
    }

    @Test
    void shouldRefuseASnapshotForceIntervalUnderOneByte()
    {
        System.setProperty(SnapshotWriter.FORCE_EVERY_BYTES_PROP_NAME, "0");
        try
        {
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, SnapshotWriter::forceEveryBytes);
            assertTrue(ex.getMessage().contains(SnapshotWriter.FORCE_EVERY_BYTES_PROP_NAME), ex.getMessage());
        }
        finally
        {
            System.clearProperty(SnapshotWriter.FORCE_EVERY_BYTES_PROP_NAME);
        }
        assertEquals(SnapshotWriter.FORCE_EVERY_BYTES_DEFAULT, SnapshotWriter.forceEveryBytes());
    }
}
