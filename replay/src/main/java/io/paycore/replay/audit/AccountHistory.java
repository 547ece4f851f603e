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
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

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
 * <b>Threading</b>: one thread (the replaying one). Allocates per printed line only.
 */
public final class AccountHistory
{
    private final long accountId;
    private final PrintStream out;
    private final Ledger ledger;
    private final SbeAccountEvents accountEvents = new SbeAccountEvents();
    private final SbeTransferEvents transferEvents = new SbeTransferEvents();
    // Pending transfers touching the account that were still open after the last record: id to timestamp.
    private final Long2LongHashMap openPendings = new Long2LongHashMap(-1);
    private long debitsPending;
    private long debitsPosted;
    private long creditsPending;
    private long creditsPosted;
    private long linesPrinted;
    private long unreconciledRecords;

    /**
     * @param accountId whose history to print.
     * @param ledger    being replayed into, read after each record.
     * @param out       where the lines go.
     */
    public AccountHistory(final long accountId, final Ledger ledger, final PrintStream out)
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
        final int index = ledger.accountIndex(accountId);
        if (index >= 0)
        {
            debitsPending = ledger.debitsPending(index);
            debitsPosted = ledger.debitsPosted(index);
            creditsPending = ledger.creditsPending(index);
            creditsPosted = ledger.creditsPosted(index);
            ledger.forEachPendingTransfer((t) ->
            {
                if (touches(t))
                {
                    openPendings.put(ledger.transferId(t), ledger.transferTimestamp(t));
                }
            });
        }
        out.printf(Locale.ROOT, "history of account %d:%n", accountId);
        out.println("  sequence timestamp kind id debit_account_id credit_account_id amount pending_id flags result " +
            "debits_pending debits_posted credits_pending credits_posted");
    }

    /**
     * @return the account followed.
     */
    public long accountId()
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
    public long debitsPending()
    {
        return debitsPending;
    }

    /**
     * @return debits posted after the last record.
     */
    public long debitsPosted()
    {
        return debitsPosted;
    }

    /**
     * @return credits pending after the last record.
     */
    public long creditsPending()
    {
        return creditsPending;
    }

    /**
     * @return credits posted after the last record.
     */
    public long creditsPosted()
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
        final int index = ledger.accountIndex(accountId);
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
        final long afterDebitsPending = ledger.debitsPending(index);
        final long afterCreditsPending = ledger.creditsPending(index);
        final long afterDebitsPosted = ledger.debitsPosted(index);
        final long afterCreditsPosted = ledger.creditsPosted(index);
        final long beforeDebitsPending = debitsPending;
        final long beforeCreditsPending = creditsPending;
        final long beforeDebitsPosted = debitsPosted;
        final long beforeCreditsPosted = creditsPosted;
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
        final boolean someExpired = debitsPending != beforeDebitsPending || creditsPending != beforeCreditsPending;
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

        if (debitsPending != afterDebitsPending || creditsPending != afterCreditsPending ||
            debitsPosted != afterDebitsPosted || creditsPosted != afterCreditsPosted)
        {
            unreconciledRecords++;
            out.printf(Locale.ROOT, "  %d %s UNRECONCILED - - - - - - - %d %d %d %d%n", sequence,
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
            if (accountId == events.id(i))
            {
                final CreateAccountResult result = results.result(i);
                linesPrinted++;
                out.printf(Locale.ROOT, "  %d %s ACCOUNT %d - - - - %d %s %d %d %d %d%n", sequence,
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
        final long sign = print ? 1 : -1;
        for (int i = 0, n = events.count(); i < n; i++)
        {
            final CreateTransferResult result = results.result(i);
            if (CreateTransferResult.OK == result)
            {
                final int t = ledger.transferIndex(events.id(i));
                if (t < 0 || !touches(t))
                {
                    continue;
                }
                final long debit = ledger.transferDebitAccountId(t);
                final long credit = ledger.transferCreditAccountId(t);
                final long amount = ledger.transferAmount(t);
                final int flags = ledger.transferFlags(t);
                final String kind;
                long pendingDelta = 0;
                long postedDelta = 0;
                if (0 != (flags & TransferFlags.PENDING))
                {
                    kind = "PENDING";
                    pendingDelta = amount;
                    if (print)
                    {
                        openPendings.put(events.id(i), ledger.transferTimestamp(t));
                    }
                }
                else if (0 != (flags & TransferFlags.POST_PENDING))
                {
                    kind = "POST";
                    final long pendingId = ledger.transferPendingId(t);
                    final int p = ledger.transferIndex(pendingId);
                    pendingDelta = -ledger.transferAmount(p);
                    postedDelta = amount;
                    if (print)
                    {
                        openPendings.remove(pendingId);
                    }
                }
                else if (0 != (flags & TransferFlags.VOID_PENDING))
                {
                    kind = "VOID";
                    pendingDelta = -amount;
                    if (print)
                    {
                        openPendings.remove(ledger.transferPendingId(t));
                    }
                }
                else
                {
                    kind = "TRANSFER";
                    postedDelta = amount;
                }
                if (accountId == debit)
                {
                    debitsPending += sign * pendingDelta;
                    debitsPosted += sign * postedDelta;
                }
                if (accountId == credit)
                {
                    creditsPending += sign * pendingDelta;
                    creditsPosted += sign * postedDelta;
                }
                if (print)
                {
                    line(sequence, timestampNanos, kind, events.id(i), debit, credit, amount,
                        ledger.transferPendingId(t), flags, result.name());
                }
            }
            else if (print && touchesAsSent(events, i))
            {
                line(sequence, timestampNanos, kindOf(events.flags(i)), events.id(i), events.debitAccountId(i),
                    events.creditAccountId(i), events.amount(i), events.pendingId(i), events.flags(i),
                    result.name());
            }
        }
    }

    private void expire(final long sequence, final long timestampNanos)
    {
        int count = 0;
        long[][] expired = null;
        final Long2LongHashMap.EntryIterator it = openPendings.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            final long id = it.getLongKey();
            if (PendingState.EXPIRED == ledger.transferPendingState(ledger.transferIndex(id)))
            {
                if (null == expired)
                {
                    expired = new long[openPendings.size()][];
                }
                expired[count++] = new long[]{ it.getLongValue(), id };
            }
        }
        if (0 == count)
        {
            return;
        }
        // In creation order, which is timestamp order.
        Arrays.sort(expired, 0, count, (a, b) -> Long.compare(a[0], b[0]));
        for (int k = 0; k < count; k++)
        {
            final long id = expired[k][1];
            openPendings.remove(id);
            final int t = ledger.transferIndex(id);
            final long amount = ledger.transferAmount(t);
            final long debit = ledger.transferDebitAccountId(t);
            final long credit = ledger.transferCreditAccountId(t);
            if (accountId == debit)
            {
                debitsPending -= amount;
            }
            if (accountId == credit)
            {
                creditsPending -= amount;
            }
            line(sequence, timestampNanos, "EXPIRE", id, debit, credit, amount, 0, ledger.transferFlags(t),
                "EXPIRED");
        }
    }

    private boolean touches(final int transferIndex)
    {
        return accountId == ledger.transferDebitAccountId(transferIndex) ||
            accountId == ledger.transferCreditAccountId(transferIndex);
    }

    private boolean touchesAsSent(final SbeTransferEvents events, final int i)
    {
        if (accountId == events.debitAccountId(i) || accountId == events.creditAccountId(i))
        {
            return true;
        }
        final int existing = ledger.transferIndex(events.id(i));
        if (existing >= 0 && touches(existing))
        {
            return true;
        }
        final long pendingId = events.pendingId(i);
        if (0 != pendingId)
        {
            final int p = ledger.transferIndex(pendingId);
            return p >= 0 && touches(p);
        }
        return false;
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
        final long id,
        final long debit,
        final long credit,
        final long amount,
        final long pendingId,
        final int flags,
        final String result)
    {
        linesPrinted++;
        out.printf(Locale.ROOT, "  %d %s %s %d %d %d %d %d %d %s %d %d %d %d%n", sequence, time(timestampNanos),
            kind, id, debit, credit, amount, pendingId, flags, result, debitsPending, debitsPosted, creditsPending,
            creditsPosted);
    }

    static String time(final long timestampNanos)
    {
        return Instant.ofEpochSecond(0, timestampNanos).toString();
    }
}
