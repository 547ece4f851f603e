package io.paycore.service.cli;

import java.nio.file.Path;

import io.paycore.transport.CredentialGate;
import io.paycore.transport.TransportContext;
import picocli.CommandLine.Option;

/**
 * Who a server without sessions serves (feed-server, query-server): the credentials file its requests' client ids
 * and secrets are checked against, how many checks wait at once, and how many refusals a second are answered.
 */
public final class CredentialGateOptions
{
    @Option(names = "--clients", paramLabel = "FILE",
        description = "Credentials file: one 'clientId:salt:iterations:hash' line per client, made with " +
            "'paycore clients add'; only its clients are served, and it is refused if users other than its owner " +
            "may write it (default: DATA/clients, DATA being --data, the file serve reads).")
    private Path clients;

    @Option(names = "--max-credential-checks", paramLabel = "N",
        defaultValue = "" + CredentialGate.MAX_PENDING_DEFAULT,
        description = "Most credential checks waiting at once, one a client, at least 1 (a secret's first check " +
            "derives its key, tens of milliseconds, off the server's thread); a request past them is dropped " +
            "unanswered (default: ${DEFAULT-VALUE}).")
    private int maxCredentialChecks;

    @Option(names = "--refusal-answers-per-second", paramLabel = "N",
        defaultValue = "" + TransportContext.REFUSAL_REPLIES_PER_SECOND_DEFAULT,
        description = "Most refused requests (unknown client, wrong secret, version 2) answered UNAUTHENTICATED a " +
            "second, each on a stream opened for it, at least 0; the rest are dropped unanswered (default: " +
            "${DEFAULT-VALUE}).")
    private int refusalAnswersPerSecond;

    /**
     * @return the credentials file given, or null for the default in the data directory.
     */
    public Path clients()
    {
        return clients;
    }

    /**
     * @return most credential checks waiting at once.
     */
    public int maxCredentialChecks()
    {
        return maxCredentialChecks;
    }

    /**
     * @return most refused requests answered a second.
     */
    public int refusalAnswersPerSecond()
    {
        return refusalAnswersPerSecond;
    }
}
