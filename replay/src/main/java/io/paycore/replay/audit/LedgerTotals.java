package io.paycore.replay.audit;

import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.UInt128;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The balances of a ledger summed per ledger (currency): accounts, Σ debits pending, Σ debits posted, Σ credits
 * pending and Σ credits posted, with exact sums (a sum of many 64-bit balances can exceed 64 bits). Double entry
 * holds when, for every ledger, Σ debits pending = Σ credits pending and Σ debits posted = Σ credits posted.
 * <p>
 * Immutable. Computing it walks every account once and keeps one entry per distinct ledger.
 */
public final class LedgerTotals
{
    private final List<Entry> entries;

    private LedgerTotals(final List<Entry> entries)
    {
        this.entries = Collections.unmodifiableList(entries);
    }

    /**
     * Sum the balances of every account of a ledger.
     *
     * @param ledger to sum; not changed.
     * @return the totals, ordered by ledger.
     */
    public static LedgerTotals of(final Ledger ledger)
    {
        final Map<Long, Sums> sums = new TreeMap<>();
        for (int i = 0, n = ledger.accountCount(); i < n; i++)
        {
            final Sums s = sums.computeIfAbsent(ledger.accountLedger(i), (k) -> new Sums());
            s.accounts++;
            s.debitsPending.add(ledger.debitsPendingHi(i), ledger.debitsPendingLo(i));
            s.debitsPosted.add(ledger.debitsPostedHi(i), ledger.debitsPostedLo(i));
            s.creditsPending.add(ledger.creditsPendingHi(i), ledger.creditsPendingLo(i));
            s.creditsPosted.add(ledger.creditsPostedHi(i), ledger.creditsPostedLo(i));
        }
        final List<Entry> entries = new ArrayList<>(sums.size());
        for (final Map.Entry<Long, Sums> e : sums.entrySet())
        {
            final Sums s = e.getValue();
            entries.add(new Entry(e.getKey(), s.accounts, s.debitsPending.value(), s.debitsPosted.value(),
                s.creditsPending.value(), s.creditsPosted.value()));
        }

        return new LedgerTotals(entries);
    }

    /**
     * @return one entry per ledger that has accounts, ordered by ledger.
     */
    public List<Entry> entries()
    {
        return entries;
    }

    /**
     * @return true if every ledger balances: Σ debits = Σ credits, pending and posted.
     */
    public boolean isBalanced()
    {
        for (final Entry entry : entries)
        {
            if (!entry.isBalanced())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The totals of one ledger.
     */
    public static final class Entry
    {
        private final long ledger;
        private final long accounts;
        private final BigInteger debitsPending;
        private final BigInteger debitsPosted;
        private final BigInteger creditsPending;
        private final BigInteger creditsPosted;

        Entry(
            final long ledger,
            final long accounts,
            final BigInteger debitsPending,
            final BigInteger debitsPosted,
            final BigInteger creditsPending,
            final BigInteger creditsPosted)
        {
            this.ledger = ledger;
            this.accounts = accounts;
            this.debitsPending = debitsPending;
            this.debitsPosted = debitsPosted;
            this.creditsPending = creditsPending;
            this.creditsPosted = creditsPosted;
        }

        /**
         * @return the ledger (currency), unsigned 32-bit.
         */
        public long ledger()
        {
            return ledger;
        }

        /**
         * @return accounts on this ledger.
         */
        public long accounts()
        {
            return accounts;
        }

        /**
         * @return Σ debits pending over its accounts, minor units.
         */
        public BigInteger debitsPending()
        {
            return debitsPending;
        }

        /**
         * @return Σ debits posted over its accounts, minor units.
         */
        public BigInteger debitsPosted()
        {
            return debitsPosted;
        }

        /**
         * @return Σ credits pending over its accounts, minor units.
         */
        public BigInteger creditsPending()
        {
            return creditsPending;
        }

        /**
         * @return Σ credits posted over its accounts, minor units.
         */
        public BigInteger creditsPosted()
        {
            return creditsPosted;
        }

        /**
         * @return true if Σ debits pending = Σ credits pending and Σ debits posted = Σ credits posted.
         */
        public boolean isBalanced()
        {
            return debitsPending.equals(creditsPending) && debitsPosted.equals(creditsPosted);
        }
    }

    /**
     * An accumulator of unsigned 128-bit balances: a sum over many accounts can pass 2<sup>128</sup>, so it is a
     * {@link BigInteger} (the audit runs offline; its allocation does not matter).
     */
    private static final class Sum
    {
        private BigInteger total = BigInteger.ZERO;

        void add(final long hi, final long lo)
        {
            total = total.add(UInt128.toBigInteger(hi, lo));
        }

        BigInteger value()
        {
            return total;
        }
    }

    private static final class Sums
    {
        long accounts;
        final Sum debitsPending = new Sum();
        final Sum debitsPosted = new Sum();
        final Sum creditsPending = new Sum();
        final Sum creditsPosted = new Sum();
    }
}
