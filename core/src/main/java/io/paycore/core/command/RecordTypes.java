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
            default:
                return "UNKNOWN";
        }
    }
}
