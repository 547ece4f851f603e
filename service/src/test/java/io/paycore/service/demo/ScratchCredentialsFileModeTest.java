package io.paycore.service.demo;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import io.paycore.core.ledger.LedgerLimits;
import io.paycore.journal.FlushLevel;
import io.paycore.service.clients.CredentialsFileMode;
import io.paycore.service.cluster.LocalCluster;
import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.transport.ClientCredentials;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The credentials files that {@code demo}, the warm-ups and {@code demo --cluster} write for their own client are
 * owner only (0600), as {@code clients add} makes one, whatever the umask.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScratchCredentialsFileModeTest
{
    @TempDir
    Path temp;

    @BeforeEach
    void assumePosix()
    {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
            "a file system without POSIX permissions");
    }

    @Test
    void shouldWriteTheWorkloadsClientsFileOwnerOnly() throws Exception
    {
        final Path clientsFile = temp.resolve("data").resolve("clients");

        final String secret = WorkloadRun.writeClientsFile(clientsFile);

        assertEquals(CredentialsFileMode.OWNER_ONLY, Files.getPosixFilePermissions(clientsFile),
            CredentialsFileMode.modeText(clientsFile));
        assertEquals(ConnectStatus.OK, ClientCredentials.load(clientsFile).verify(WorkloadRun.CLIENT_ID, secret));
    }

    @Test
    void shouldMakeAnExistingClientsFileOwnerOnlyWhenWritingItAgain() throws Exception
    {
        // demo --data DIR run again in the same directory writes the file again
        final Path clientsFile = temp.resolve("clients");
        Files.writeString(clientsFile, "old\n");
        Files.setPosixFilePermissions(clientsFile, PosixFilePermissions.fromString("rw-rw-r--"));

        final String secret = WorkloadRun.writeClientsFile(clientsFile);

        assertEquals(CredentialsFileMode.OWNER_ONLY, Files.getPosixFilePermissions(clientsFile),
            CredentialsFileMode.modeText(clientsFile));
        assertEquals(ConnectStatus.OK, ClientCredentials.load(clientsFile).verify(WorkloadRun.CLIENT_ID, secret));
    }

    @Test
    void shouldWriteTheLocalClustersClientsFileOwnerOnly() throws Exception
    {
        final LocalCluster cluster = new LocalCluster(temp, 1, 33_100, new LedgerLimits().maxAccounts(1024)
            .maxTransfers(65_536).maxPendingTransfers(4096).maxBatchEvents(128), FlushLevel.NONE);
        try
        {
            // A regular file where the member's data directory goes: the member stops at once, having been given
            // the clients file.
            Files.writeString(cluster.memberDirectory(0), "not a directory");
            cluster.start(0);
        }
        finally
        {
            cluster.close();
        }
        final Path clientsFile = temp.resolve("clients");
        assertEquals(CredentialsFileMode.OWNER_ONLY, Files.getPosixFilePermissions(clientsFile),
            CredentialsFileMode.modeText(clientsFile));
    }
}
