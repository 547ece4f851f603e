package io.paycore.core.command;

/**
 * The journal record types paycore writes. The journal itself treats the type as an opaque int; these are the
 * meanings the rest of paycore gives them.
 */
public final class RecordTypes
{
    /**
     * The payload is one validated ingress SBE message, exactly as received.
     */
    public static final int MESSAGE = 1;

    /**
     * No payload: time passed with no traffic; the ledger expires pending transfers up to the record's timestamp.
     */
    public static final int TICK = 2;

    /**
     * Payload: an epoch, an 8-byte little-endian long ({@link #EPOCH_PAYLOAD_LENGTH}). Written only by paycore
     * versions with the home-made replication, since retired for Aeron Cluster: a promoted standby journaled one at
     * the first sequence of its term as primary. Nothing writes it any more, but an old journal may hold it, so it
     * stays a known type: it changes no ledger state, recovery and replay apply it as a no-op (never counted
     * invalid), and audit counts it and reports the last epoch.
     */
    public static final int EPOCH = 3;

    /**
     * Payload length of an {@link #EPOCH} record.
     */
    public static final int EPOCH_PAYLOAD_LENGTH = 8;

    /**
     * Payload: the ledger limits in force from this record on ({@link LimitsRecord}). The service journals one
     * before its first client's message when the limits it runs with are not those in force after recovery (always
     * on a new journal), so that a replay answers what the service answered, whatever limits it is built with.
     */
    public static final int LIMITS = 4;

    private RecordTypes()
    {
    }

    /**
     * Name of a record type, for reports.
     *
     * @param type record type.
     * @return its name, or {@code "UNKNOWN"}.
     */
    public static String name(final int type)
    {
        switch (type)
        {
            case MESSAGE:
                return "MESSAGE";
            case TICK:
                return "TICK";
            case EPOCH:
                return "EPOCH";
            case LIMITS:
                return "LIMITS";
            default:
                return "UNKNOWN";
        }
    }
}
