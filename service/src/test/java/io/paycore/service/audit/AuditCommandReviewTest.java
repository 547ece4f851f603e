package io.paycore.service.audit;

import io.paycore.journal.SegmentDescriptor;
import io.paycore.service.TestJournals;
import io.paycore.service.TestPermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of {@code paycore audit} as an auditor uses it, 2026-12-07: each test failed before its fix.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AuditCommandReviewTest
{
    @TempDir
    Path temp;

    /**
     * A segment the user may not read (mode 000) was reported as damage: {@code DAMAGED: failed to open reader:
     * java.nio.file.AccessDeniedException}, {@code damage at: ... offset=-1} and exit status 3, which the README
     * keeps for a damaged journal; an I/O error is 4, as for a journal directory the user may not list. An auditor
     * told the journal is damaged escalates a permissions slip as tampering.
     */
    @Test
    void shouldExitFourNotDamagedForASegmentItCannotRead() throws Exception
    {
        final Path data = temp.resolve("data");
        TestJournals.ticks(data, 5, 3, 0);
        final Path segment = data.resolve("journal").resolve(SegmentDescriptor.fileName(1));
        Files.setPosixFilePermissions(segment, Set.of());
        try
        {
            final List<String> command = TestPermissions.paycoreWithoutReadOverride(segment, "512m",
                "audit", "--data", data.toString(), "--max-accounts", "1024", "--max-transfers", "65536",
                "--max-pending", "4096", "--cold-tier-size", "0", "--progress", "never");
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), output);

            assertEquals(AuditCommand.EXIT_CANNOT_AUDIT, process.exitValue(), output);
            assertFalse(output.contains("damage"), output);
            assertTrue(output.contains("paycore audit: ") && output.contains(segment.toString()), output);
            assertFalse(output.contains("\tat "), "no stack trace: " + output);
        }
        finally
        {
            Files.setPosixFilePermissions(segment, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
