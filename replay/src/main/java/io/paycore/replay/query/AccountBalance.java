package io.paycore.replay.query;

/**
 * An account's balances after one change, as TigerBeetle's {@code AccountBalance}: a flyweight valid only during the
 * visit that hands it on.
 */
public final class AccountBalance
{
    private long[] list;
    private int offset;

    AccountBalance wrap(final long[] list, final int offset)
    {
        this.list = list;
        this.offset = offset;
        return this;
    }

    /** @return the timestamp of the change after which the account had these balances. */
    public long timestamp()
    {
        return list[offset];
    }

    /** @return high 64 bits of debits pending. */
    public long debitsPendingHi()
    {
        return list[offset + 2];
    }

    /** @return low 64 bits of debits pending. */
    public long debitsPendingLo()
    {
        return list[offset + 1];
    }

    /** @return high 64 bits of debits posted. */
    public long debitsPostedHi()
    {
        return list[offset + 4];
    }

    /** @return low 64 bits of debits posted. */
    public long debitsPostedLo()
    {
        return list[offset + 3];
    }

    /** @return high 64 bits of credits pending. */
    public long creditsPendingHi()
    {
        return list[offset + 6];
    }

    /** @return low 64 bits of credits pending. */
    public long creditsPendingLo()
    {
        return list[offset + 5];
    }

    /** @return high 64 bits of credits posted. */
    public long creditsPostedHi()
    {
        return list[offset + 8];
    }

    /** @return low 64 bits of credits posted. */
    public long creditsPostedLo()
    {
        return list[offset + 7];
    }
}
