package io.paycore.replay.audit;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.core.command.CommandProcessor;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.PendingState;
import io.paycore.core.ledger.SbeAccountEvents;
import io.paycore.core.ledger.SbeTransferEvents;
import io.paycore.core.ledger.TransferFlags;
import io.paycore.core.ledger.TransferResults;
import io.paycore.core.ledger.UInt128;
import org.agrona.DirectBuffer;

import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The full history of one account during a replay, printed as it happens: its creation, every transfer event that
 * names it (as debit or credit account, or through the pending transfer a post or void names), with the result the
 * ledger gave, and the expiry of each of its pending holds, each followed by the account's four balances after it.
 * <p>
 * The running balances are computed from the events (a single-phase transfer adds to posted, a pending one to
 * pending, a post moves the pending amount out of pending and the posted amount into posted, a void and an expiry
 * release the pending amount) and reconciled with the ledger's own balances after every record; a record whose
 * effect they do not explain is reported with an {@code UNRECONCILED} line and counted
 * ({@link #unreconciledRecords()}). The account's open pending holds are tracked in a set bounded by the ledger's
 * pending limit.
 * <p>
 * Lines, whitespace-separated, after a header line naming the columns:
 * <pre>
 *   sequence timestamp kind id debit_account_id credit_account_id amount pending_id flags result
 *       debits_pending debits_posted credits_pending credits_posted
 * </pre>
 * {@code kind} is {@code ACCOUNT} (the account's creation; transfer columns are {@code -}), {@code TRANSFER}
 * (single-phase), {@code PENDING}, {@code POST}, {@code VOID} or {@code EXPIRE} (a hold released by its timeout;
 * result {@code EXPIRED}). Accounts and amounts are those the ledger stored (a post's or void's are resolved from
 * its pending transfer) when the event succeeded, else those sent. The timestamp is the record's, ISO-8601 UTC.
 * <p>
 * Ids, amounts and balances are unsigned 128-bit, kept as {@link BigInteger}s.
 * <p>
 * <b>Threading</b>: one thread (the replaying one). Allocates freely: it runs offline.
 */
public final class AccountHistory
{
    private final BigInteger accountId;
    private final PrintStream out;
    private final Ledger ledger;
    private final SbeAccountEvents accountEvents = new SbeAccountEvents();
    private final SbeTransferEvents transferEvents = new SbeTransferEvents();
    // Pending transfers touching the account that were still open after the last record: id to timestamp.
    private final Map<BigInteger, Long> openPendings = new HashMap<>();
    private BigInteger debitsPending = BigInteger.ZERO;
    private BigInteger debitsPosted = BigInteger.ZERO;
    private BigInteger creditsPending = BigInteger.ZERO;
    private BigInteger creditsPosted = BigInteger.ZERO;
    private long linesPrinted;
    private long unreconciledRecords;

    /**
     * @param accountId whose history to print.
     * @param ledger    being replayed into, read after each record.
     * @param out       where the lines go.
     */
    public AccountHistory(final BigInteger accountId, final Ledger ledger, final PrintStream out)
    {
        this.accountId = accountId;
        this.ledger = ledger;
        this.out = out;
    }

    /**
     * Start from a ledger that already holds state (a snapshot), then print the header line.
     */
    public void start()
    {
        final int index = accountIndex();
        if (index >= 0)
        {
            debitsPending = u128(ledger.debitsPendingHi(index), ledger.debitsPendingLo(index));
            debitsPosted = u128(ledger.debitsPostedHi(index), ledger.debitsPostedLo(index));
            creditsPending = u128(ledger.creditsPendingHi(index), ledger.creditsPendingLo(index));
            creditsPosted = u128(ledger.creditsPostedHi(index), ledger.creditsPostedLo(index));
            ledger.forEachPendingTransfer((t) ->
            {
                if (touches(t))
                {
                    openPendings.put(transferId(t), ledger.transferTimestamp(t));
                }
            });
        }
        out.printf(Locale.ROOT, "history of account %s:%n", accountId);
        out.println("  sequence timestamp kind id debit_account_id credit_account_id amount pending_id flags result " +
            "debits_pending debits_posted credits_pending credits_posted");
    }

    /**
     * @return the account followed.
     */
    public BigInteger accountId()
    {
        return accountId;
    }

    /**
     * @return history lines printed, the header not counted.
     */
    public long linesPrinted()
    {
        return linesPrinted;
    }

    /**
     * @return records after which the running balances did not match the ledger's (0 unless something is wrong).
     */
    public long unreconciledRecords()
    {
        return unreconciledRecords;
    }

    /**
     * @return debits pending after the last record.
     */
    public BigInteger debitsPending()
    {
        return debitsPending;
    }

    /**
     * @return debits posted after the last record.
     */
    public BigInteger debitsPosted()
    {
        return debitsPosted;
    }

    /**
     * @return credits pending after the last record.
     */
    public BigInteger creditsPending()
    {
        return creditsPending;
    }

    /**
     * @return credits posted after the last record.
     */
    public BigInteger creditsPosted()
    {
        return creditsPosted;
    }

    /**
     * Print what the record a processor has just applied did to the account.
     *
     * @param sequence       of the record.
     * @param timestampNanos of the record.
     * @param buffer         holding the record's payload.
     * @param offset         of the payload.
     * @param processor      that has just applied it.
     */
    public void onApplied(
        final long sequence,
        final long timestampNanos,
        final DirectBuffer buffer,
        final int offset,
        final CommandProcessor processor)
    {
        final int index = accountIndex();
        if (index < 0)
        {
            if (CreateAccountsDecoder.TEMPLATE_ID == processor.lastTemplateId())
            {
                accounts(sequence, timestampNanos, buffer, offset, processor.accountResults());
            }
            else if (CreateTransfersDecoder.TEMPLATE_ID == processor.lastTemplateId())
            {
                transfers(sequence, timestampNanos, buffer, offset, processor.transferResults(), true);
            }
            return;
        }

        // Expiries happen before the command. Starting from the balances after the record and taking away what
        // its events did gives the balances after expiry; what that takes from the running balances expired.
        final BigInteger afterDebitsPending = u128(ledger.debitsPendingHi(index), ledger.debitsPendingLo(index));
        final BigInteger afterCreditsPending = u128(ledger.creditsPendingHi(index), ledger.creditsPendingLo(index));
        final BigInteger afterDebitsPosted = u128(ledger.debitsPostedHi(index), ledger.debitsPostedLo(index));
        final BigInteger afterCreditsPosted = u128(ledger.creditsPostedHi(index), ledger.creditsPostedLo(index));
        final BigInteger beforeDebitsPending = debitsPending;
        final BigInteger beforeCreditsPending = creditsPending;
        final BigInteger beforeDebitsPosted = debitsPosted;
        final BigInteger beforeCreditsPosted = creditsPosted;
        final boolean isTransfers = CreateTransfersDecoder.TEMPLATE_ID == processor.lastTemplateId();
        if (isTransfers)
        {
            debitsPending = afterDebitsPending;
            creditsPending = afterCreditsPending;
            debitsPosted = afterDebitsPosted;
            creditsPosted = afterCreditsPosted;
            transfers(sequence, timestampNanos, buffer, offset, processor.transferResults(), false);
        }
        else
        {
            debitsPending = afterDebitsPending;
            creditsPending = afterCreditsPending;
        }
        final boolean someExpired =
            !debitsPending.equals(beforeDebitsPending) || !creditsPending.equals(beforeCreditsPending);
        debitsPending = beforeDebitsPending;
        creditsPending = beforeCreditsPending;
        debitsPosted = beforeDebitsPosted;
        creditsPosted = beforeCreditsPosted;
        if (someExpired)
        {
            expire(sequence, timestampNanos);
        }

        if (CreateAccountsDecoder.TEMPLATE_ID == processor.lastTemplateId())
        {
            accounts(sequence, timestampNanos, buffer, offset, processor.accountResults());
        }
        else if (isTransfers)
        {
            transfers(sequence, timestampNanos, buffer, offset, processor.transferResults(), true);
        }

        if (!debitsPending.equals(afterDebitsPending) || !creditsPending.equals(afterCreditsPending) ||
            !debitsPosted.equals(afterDebitsPosted) || !creditsPosted.equals(afterCreditsPosted))
        {
            unreconciledRecords++;
            out.printf(Locale.ROOT, "  %d %s UNRECONCILED - - - - - - - %s %s %s %s%n", sequence,
                time(timestampNanos), afterDebitsPending, afterDebitsPosted, afterCreditsPending,
                afterCreditsPosted);
            debitsPending = afterDebitsPending;
            debitsPosted = afterDebitsPosted;
            creditsPending = afterCreditsPending;
            creditsPosted = afterCreditsPosted;
        }
    }

    private void accounts(
        final long sequence,
        final long timestampNanos,
        final DirectBuffer buffer,
        final int offset,
        final AccountResults results)
    {
        final SbeAccountEvents events = accountEvents.wrap(buffer, offset);
        for (int i = 0, n = events.count(); i < n; i++)
        {
            if (accountId.equals(u128(events.idHi(i), events.idLo(i))))
            {
                final CreateAccountResult result = results.result(i);
                linesPrinted++;
                out.printf(Locale.ROOT, "  %d %s ACCOUNT %s - - - - %d %s %s %s %s %s%n", sequence,
                    time(timestampNanos), accountId, events.flags(i), result.name(), debitsPending, debitsPosted,
                    creditsPending, creditsPosted);
            }
        }
    }

    /**
     * With print false, undo the effect of the events on the running balances (so that what remains unexplained
     * is expiry); with print true, apply and print them.
     */
    private void transfers(
        final long sequence,
        final long timestampNanos,
        final DirectBuffer buffer,
        final int offset,
        final TransferResults results,
        final boolean print)
    {
        final SbeTransferEvents events = transferEvents.wrap(buffer, offset);
        for (int i = 0, n = events.count(); i < n; i++)
        {
            final CreateTransferResult result = results.result(i);
            final BigInteger id = u128(events.idHi(i), events.idLo(i));
            if (CreateTransferResult.OK == result)
            {
                final int t = ledger.transferIndex(events.idHi(i), events.idLo(i));
                if (t < 0 || !touches(t))
                {
                    continue;
                }
                final BigInteger debit = u128(ledger.transferDebitAccountIdHi(t), ledger.transferDebitAccountIdLo(t));
                final BigInteger credit =
                    u128(ledger.transferCreditAccountIdHi(t), ledger.transferCreditAccountIdLo(t));
                final BigInteger amount = u128(ledger.transferAmountHi(t), ledger.transferAmountLo(t));
                final BigInteger pendingId = u128(ledger.transferPendingIdHi(t), ledger.transferPendingIdLo(t));
                final int flags = ledger.transferFlags(t);
                final String kind;
                BigInteger pendingDelta = BigInteger.ZERO;
                BigInteger postedDelta = BigInteger.ZERO;
                if (0 != (flags & TransferFlags.PENDING))
                {
                    kind = "PENDING";
                    pendingDelta = amount;
                    if (print)
                    {
                        openPendings.put(id, ledger.transferTimestamp(t));
                    }
                }
                else if (0 != (flags & TransferFlags.POST_PENDING))
                {
                    kind = "POST";
                    final int p = ledger.transferIndex(ledger.transferPendingIdHi(t), ledger.transferPendingIdLo(t));
                    pendingDelta = u128(ledger.transferAmountHi(p), ledger.transferAmountLo(p)).negate();
                    postedDelta = amount;
                    if (print)
                    {
                        openPendings.remove(pendingId);
                    }
                }
                else if (0 != (flags & TransferFlags.VOID_PENDING))
                {
                    kind = "VOID";
                    pendingDelta = amount.negate();
                    if (print)
                    {
                        openPendings.remove(pendingId);
                    }
                }
                else
                {
                    kind = "TRANSFER";
                    postedDelta = amount;
                }
                if (!print)
                {
                    pendingDelta = pendingDelta.negate();
                    postedDelta = postedDelta.negate();
                }
                if (accountId.equals(debit))
                {
                    debitsPending = debitsPending.add(pendingDelta);
                    debitsPosted = debitsPosted.add(postedDelta);
                }
                if (accountId.equals(credit))
                {
                    creditsPending = creditsPending.add(pendingDelta);
                    creditsPosted = creditsPosted.add(postedDelta);
                }
                if (print)
                {
                    line(sequence, timestampNanos, kind, id, debit, credit, amount, pendingId, flags, result.name());
                }
            }
            else if (print && touchesAsSent(events, i))
            {
                line(sequence, timestampNanos, kindOf(events.flags(i)), id,
                    u128(events.debitAccountIdHi(i), events.debitAccountIdLo(i)),
                    u128(events.creditAccountIdHi(i), events.creditAccountIdLo(i)),
                    u128(events.amountHi(i), events.amountLo(i)),
                    u128(events.pendingIdHi(i), events.pendingIdLo(i)), events.flags(i), result.name());
            }
        }
    }

    private void expire(final long sequence, final long timestampNanos)
    {
        final List<Map.Entry<BigInteger, Long>> expired = new ArrayList<>();
        for (final Map.Entry<BigInteger, Long> open : openPendings.entrySet())
        {
            final BigInteger id = open.getKey();
            if (PendingState.EXPIRED == ledger.transferPendingState(ledger.transferIndex(hi(id), lo(id))))
            {
                expired.add(Map.entry(id, open.getValue()));
            }
        }
        // In creation order, which is timestamp order.
        expired.sort(Map.Entry.comparingByValue());
        for (final Map.Entry<BigInteger, Long> entry : expired)
        {
            final BigInteger id = entry.getKey();
            openPendings.remove(id);
            final int t = ledger.transferIndex(hi(id), lo(id));
            final BigInteger amount = u128(ledger.transferAmountHi(t), ledger.transferAmountLo(t));
            final BigInteger debit = u128(ledger.transferDebitAccountIdHi(t), ledger.transferDebitAccountIdLo(t));
            final BigInteger credit = u128(ledger.transferCreditAccountIdHi(t), ledger.transferCreditAccountIdLo(t));
            if (accountId.equals(debit))
            {
                debitsPending = debitsPending.subtract(amount);
            }
            if (accountId.equals(credit))
            {
                creditsPending = creditsPending.subtract(amount);
            }
            line(sequence, timestampNanos, "EXPIRE", id, debit, credit, amount, BigInteger.ZERO,
                ledger.transferFlags(t), "EXPIRED");
        }
    }

    private int accountIndex()
    {
        return ledger.accountIndex(hi(accountId), lo(accountId));
    }

    private BigInteger transferId(final int transferIndex)
    {
        return u128(ledger.transferIdHi(transferIndex), ledger.transferIdLo(transferIndex));
    }

    private boolean touches(final int transferIndex)
    {
        return accountId.equals(
            u128(ledger.transferDebitAccountIdHi(transferIndex), ledger.transferDebitAccountIdLo(transferIndex))) ||
            accountId.equals(
                u128(ledger.transferCreditAccountIdHi(transferIndex), ledger.transferCreditAccountIdLo(transferIndex)));
    }

    private boolean touchesAsSent(final SbeTransferEvents events, final int i)
    {
        if (accountId.equals(u128(events.debitAccountIdHi(i), events.debitAccountIdLo(i))) ||
            accountId.equals(u128(events.creditAccountIdHi(i), events.creditAccountIdLo(i))))
        {
            return true;
        }
        final int existing = ledger.transferIndex(events.idHi(i), events.idLo(i));
        if (existing >= 0 && touches(existing))
        {
            return true;
        }
        if (0 != (events.pendingIdHi(i) | events.pendingIdLo(i)))
        {
            final int p = ledger.transferIndex(events.pendingIdHi(i), events.pendingIdLo(i));
            return p >= 0 && touches(p);
        }
        return false;
    }

    private static BigInteger u128(final long hi, final long lo)
    {
        return UInt128.toBigInteger(hi, lo);
    }

    private static long hi(final BigInteger value)
    {
        return value.shiftRight(64).longValue();
    }

    private static long lo(final BigInteger value)
    {
        return value.longValue();
    }

    private static String kindOf(final int flags)
    {
        if (0 != (flags & TransferFlags.PENDING))
        {
            return "PENDING";
        }
        if (0 != (flags & TransferFlags.POST_PENDING))
        {
            return "POST";
        }
        if (0 != (flags & TransferFlags.VOID_PENDING))
        {
            return "VOID";
        }
        return "TRANSFER";
    }

    private void line(
        final long sequence,
        final long timestampNanos,
        final String kind,
        final BigInteger id,
        final BigInteger debit,
        final BigInteger credit,
        final BigInteger amount,
        final BigInteger pendingId,
        final int flags,
        final String result)
    {
        linesPrinted++;
        out.printf(Locale.ROOT, "  %d %s %s %s %s %s %s %s %d %s %s %s %s %s%n", sequence, time(timestampNanos),
            kind, id, debit, credit, amount, pendingId, flags, result, debitsPending, debitsPosted, creditsPending,
            creditsPosted);
    }

    static String time(final long timestampNanos)
    {
        return Instant.ofEpochSecond(0, timestampNanos).toString();
    }
}
