package io.paycore.service.inspect;

import io.paycore.replay.PaycoreMarkFile;

import java.time.Instant;

/**
 * Text shared by the inspecting commands.
 */
final class InspectText
{
    private InspectText()
    {
    }

    /**
     * @param markFile read-only mark file.
     * @return one line: which process owns or owned the directory, since when, and whether it runs.
     */
    static String owner(final PaycoreMarkFile markFile)
    {
        final boolean running = PaycoreMarkFile.isOwned(markFile.file());
        return "paycore " + markFile.paycoreVersion() + ", pid " + markFile.pid() + ", started " +
            Instant.ofEpochMilli(markFile.startTimestampMs()) + ", last active " +
            Instant.ofEpochMilli(markFile.activityTimestampMs()) + ": " +
            (running ? "running" : "not running (stopped or died)") + "; " + markFile.file();
    }
}
