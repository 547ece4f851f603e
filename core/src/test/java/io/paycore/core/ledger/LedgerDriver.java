package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.CommandStreams.Command;
import io.paycore.core.ledger.LedgerModel.AccountEvent;
import io.paycore.core.ledger.LedgerModel.TransferEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies concrete {@link Command}s to a {@link Ledger} through the event arrays, and renders its answers and
 * state as plain lists and strings for comparison with the model or another ledger.
 */
final class LedgerDriver
{
    private final Ledger ledger;
    private final AccountEventArray accountEvents;
    private final TransferEventArray transferEvents;
    private final AccountResults accountResults;
    private final TransferResults transferResults;

    LedgerDriver(final Ledger ledger)
    {
        this.ledger = ledger;
        final int capacity = ledger.limits().maxBatchEvents();
        accountEvents = new AccountEventArray(capacity);
        transferEvents = new TransferEventArray(capacity);
        accountResults = new AccountResults(capacity);
        transferResults = new TransferResults(capacity);
    }

    Ledger ledger()
    {
        return ledger;
    }

    /**
     * @return one "RESULT@timestamp" per event; empty for a tick.
     */
    List<String> apply(final Command command)
    {
        final List<String> answers = new ArrayList<>();
        switch (command.kind())
        {
            case ACCOUNTS:
                accountEvents.reset();
                for (final AccountEvent e : command.accounts())
                {
                    accountEvents.add(e.id(), e.userData(), e.ledger(), e.code(), e.flags());
                }
                ledger.createAccounts(accountEvents, command.recordTimestampNanos(), accountResults);
                for (int i = 0; i < accountResults.count(); i++)
                {
                    answers.add(accountResults.result(i) + "@" + accountResults.timestamp(i));
                }
                break;

            case TRANSFERS:
                transferEvents.reset();
                for (final TransferEvent e : command.transfers())
                {
                    transferEvents.add(
                        e.id(), e.debitAccountId(), e.creditAccountId(), e.amount(), e.pendingId(), e.userData(),
                        e.ledger(), e.timeoutSeconds(), e.code(), e.flags());
                }
                ledger.createTransfers(transferEvents, command.recordTimestampNanos(), transferResults);
                for (int i = 0; i < transferResults.count(); i++)
                {
                    answers.add(transferResults.result(i) + "@" + transferResults.timestamp(i));
                }
                break;

            default:
                ledger.tick(command.recordTimestampNanos());
        }
        return answers;
    }

    static List<String> apply(final LedgerModel model, final Command command)
    {
        final List<String> answers = new ArrayList<>();
        switch (command.kind())
        {
            case ACCOUNTS:
            {
                final CreateAccountResult[] results =
                    model.createAccounts(command.accounts(), command.recordTimestampNanos());
                for (int i = 0; i < results.length; i++)
                {
                    answers.add(results[i] + "@" + model.resultTimestamps[i]);
                }
                break;
            }

            case TRANSFERS:
            {
                final CreateTransferResult[] results =
                    model.createTransfers(command.transfers(), command.recordTimestampNanos());
                for (int i = 0; i < results.length; i++)
                {
                    answers.add(results[i] + "@" + model.resultTimestamps[i]);
                }
                break;
            }

            default:
                model.tick(command.recordTimestampNanos());
        }
        return answers;
    }

    /**
     * @return every account of the ledger, in creation order, one line each.
     */
    static List<String> accounts(final Ledger ledger)
    {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < ledger.accountCount(); i++)
        {
            lines.add(account(
                ledger.accountId(i), ledger.accountUserData(i), ledger.accountLedger(i), ledger.accountCode(i),
                ledger.accountFlags(i), ledger.accountTimestamp(i), ledger.debitsPending(i), ledger.debitsPosted(i),
                ledger.creditsPending(i), ledger.creditsPosted(i)));
        }
        return lines;
    }

    static List<String> accounts(final LedgerModel model)
    {
        final List<String> lines = new ArrayList<>();
        for (final LedgerModel.Account a : model.accountList)
        {
            lines.add(account(
                a.id, a.userData, a.ledger, a.code, a.flags, a.timestamp, a.debitsPending, a.debitsPosted,
                a.creditsPending, a.creditsPosted));
        }
        return lines;
    }

    private static String account(
        final long id, final long userData, final long ledger, final int code, final int flags, final long timestamp,
        final long debitsPending, final long debitsPosted, final long creditsPending, final long creditsPosted)
    {
        return "account " + id + " ud=" + userData + " ledger=" + ledger + " code=" + code + " flags=" + flags +
            " ts=" + timestamp + " dp=" + debitsPending + " dP=" + debitsPosted + " cp=" + creditsPending +
            " cP=" + creditsPosted;
    }

    /**
     * @return every transfer of a ledger that keeps them all in memory, in creation order, one line each, with the
     * state it has now.
     */
    static List<String> transfers(final Ledger ledger)
    {
        final List<String> lines = new ArrayList<>();
        for (long number = 0; number < ledger.recordCount(); number++)
        {
            final long id = ledger.transferId(ledger.recordHandle(number));
            // A failed id's record is not a transfer: a lookup does not find it.
            if (ledger.transferIndex(id) >= 0)
            {
                lines.add(transfer(ledger, id));
            }
        }
        return lines;
    }

    /**
     * @return the transfer with that id as a lookup finds it, one line, or "absent".
     */
    static String transfer(final Ledger ledger, final long id)
    {
        final int i = ledger.transferIndex(id);
        if (i < 0)
        {
            return "transfer " + id + " absent";
        }
        return transfer(
            ledger.transferId(i), ledger.transferDebitAccountId(i), ledger.transferCreditAccountId(i),
            ledger.transferAmount(i), ledger.transferPendingId(i), ledger.transferUserData(i),
            ledger.transferLedger(i), ledger.transferTimeoutSeconds(i), ledger.transferCode(i),
            ledger.transferFlags(i), ledger.transferTimestamp(i), ledger.transferPendingState(i));
    }

    static List<String> transfers(final LedgerModel model)
    {
        final List<String> lines = new ArrayList<>();
        for (final LedgerModel.Transfer t : model.transferList)
        {
            lines.add(transfer(
                t.id, t.debitAccountId, t.creditAccountId, t.amount, t.pendingId, t.userData, t.ledger,
                t.timeoutSeconds, t.code, t.flags, t.timestamp, t.state));
        }
        return lines;
    }

    private static String transfer(
        final long id, final long debitAccountId, final long creditAccountId, final long amount, final long pendingId,
        final long userData, final long ledger, final long timeoutSeconds, final int code, final int flags,
        final long timestamp, final PendingState state)
    {
        return "transfer " + id + " dr=" + debitAccountId + " cr=" + creditAccountId + " amount=" + amount +
            " pid=" + pendingId + " ud=" + userData + " ledger=" + ledger + " timeout=" + timeoutSeconds +
            " code=" + code + " flags=" + flags + " ts=" + timestamp + " " + state;
    }
}
