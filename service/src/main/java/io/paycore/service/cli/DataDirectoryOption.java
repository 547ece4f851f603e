package io.paycore.service.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The required {@code --data DIR} of the commands that read a data directory someone else wrote: audit, errors,
 * stat.
 */
public final class DataDirectoryOption
{
    @Option(names = "--data", paramLabel = "DIR", required = true,
        description = "Data directory of the service: its journal/, snapshots/, aeron/ and mark file (no default).")
    private Path data;

    /**
     * @return the data directory given.
     */
    public Path data()
    {
        return data;
    }
}
