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
     * Payload: the new epoch, an 8-byte little-endian long. Journaled by a promoted standby at the first sequence
     * of its term as primary; it fences older primaries and does not touch the ledger.
     */
    public static final int EPOCH = 3;

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
            default:
                return "UNKNOWN";
        }
    }
}
