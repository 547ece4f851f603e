package io.paycore.transport;

import io.aeron.driver.MediaDriver;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriverStorageTest
{
    private static final int TERM_LENGTH_BYTES = 64 * 1024;

    @Test
    void shouldRefuseADriverWhoseOwnFilesWouldNotFitSayingWhatToDo()
    {
        final MediaDriver.Context context = new MediaDriver.Context()
            .ipcTermBufferLength(TERM_LENGTH_BYTES)
            .publicationTermBufferLength(TERM_LENGTH_BYTES);
        final Path directory = Path.of("/data/aeron");

        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> PaycoreServer.checkDriverStorage(context, directory, 24L * 1024 * 1024));

        assertTrue(ex.getMessage().contains("not enough free disk space for the embedded media driver in " +
            directory), ex.getMessage());
        assertTrue(ex.getMessage().contains("--aeron-dir"), ex.getMessage());
    }

    @Test
    void shouldStartADriverWhoseFilesFitWithALogOfEachKind()
    {
        final MediaDriver.Context context = new MediaDriver.Context()
            .ipcTermBufferLength(TERM_LENGTH_BYTES)
            .publicationTermBufferLength(TERM_LENGTH_BYTES);
        final long driverFilesBytes = (long)context.conductorBufferLength() + context.toClientsBufferLength() +
            5L * context.counterValuesBufferLength() + context.errorBufferLength() + context.lossReportBufferLength();

        PaycoreServer.checkDriverStorage(context, Path.of("/data/aeron"), driverFilesBytes + 6L * TERM_LENGTH_BYTES);
        assertThrows(IllegalStateException.class, () -> PaycoreServer.checkDriverStorage(
            context, Path.of("/data/aeron"), driverFilesBytes + 6L * TERM_LENGTH_BYTES - 1));
    }
}
