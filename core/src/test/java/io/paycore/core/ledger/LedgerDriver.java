package io.paycore.core.ledger;

import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.core.ledger.CommandStreams.Command;
import io.paycore.core.ledger.LedgerModel.AccountEvent;
import io.paycore.core.ledger.LedgerModel.TransferEvent;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies concrete {@link Command}s to a {@link Ledger} through the event arrays, and renders its answers and
 * state as plain lists and strings for comparison with the model or another ledger. 128-bit values travel as
 * {@link BigInteger}s here and as (hi, lo) pairs of longs in the ledger.
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

    static long hi(final BigInteger value)
    {
        return value.shiftRight(64).longValue();
    }

    static long lo(final BigInteger value)
    {
        return value.longValue();
    }

    static BigInteger of(final long hi, final long lo)
    {
        return new BigInteger(1, new byte[]
        {
            (byte)(hi >>> 56), (byte)(hi >>> 48), (byte)(hi >>> 40), (byte)(hi >>> 32),
            (byte)(hi >>> 24), (byte)(hi >>> 16), (byte)(hi >>> 8), (byte)hi,
            (byte)(lo >>> 56), (byte)(lo >>> 48), (byte)(lo >>> 40), (byte)(lo >>> 32),
            (byte)(lo >>> 24), (byte)(lo >>> 16), (byte)(lo >>> 8), (byte)lo
        });
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
                    accountEvents.add()
                        .id(hi(e.id()), lo(e.id()))
                        .debitsPending(hi(e.debitsPending()), lo(e.debitsPending()))
                        .debitsPosted(hi(e.debitsPosted()), lo(e.debitsPosted()))
                        .creditsPending(hi(e.creditsPending()), lo(e.creditsPending()))
                        .creditsPosted(hi(e.creditsPosted()), lo(e.creditsPosted()))
                        .userData128(hi(e.userData128()), lo(e.userData128()))
                        .userData64(e.userData64())
                        .userData32(e.userData32())
                        .reserved(e.reserved())
                        .ledger(e.ledger())
                        .code(e.code())
                        .flags(e.flags())
                        .timestamp(e.timestamp());
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
                    transferEvents.add()
                        .id(hi(e.id()), lo(e.id()))
                        .debitAccountId(hi(e.debitAccountId()), lo(e.debitAccountId()))
                        .creditAccountId(hi(e.creditAccountId()), lo(e.creditAccountId()))
                        .amount(hi(e.amount()), lo(e.amount()))
                        .pendingId(hi(e.pendingId()), lo(e.pendingId()))
                        .userData128(hi(e.userData128()), lo(e.userData128()))
                        .userData64(e.userData64())
                        .userData32(e.userData32())
                        .timeoutSeconds(e.timeoutSeconds())
                        .ledger(e.ledger())
                        .code(e.code())
                        .flags(e.flags())
                        .timestamp(e.timestamp());
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
                of(ledger.accountIdHi(i), ledger.accountIdLo(i)),
                of(ledger.accountUserData128Hi(i), ledger.accountUserData128Lo(i)), ledger.accountUserData64(i),
                ledger.accountUserData32(i), ledger.accountLedger(i), ledger.accountCode(i), ledger.accountFlags(i),
                ledger.accountTimestamp(i),
                of(ledger.debitsPendingHi(i), ledger.debitsPendingLo(i)),
                of(ledger.debitsPostedHi(i), ledger.debitsPostedLo(i)),
                of(ledger.creditsPendingHi(i), ledger.creditsPendingLo(i)),
                of(ledger.creditsPostedHi(i), ledger.creditsPostedLo(i))));
        }
        return lines;
    }

    static List<String> accounts(final LedgerModel model)
    {
        final List<String> lines = new ArrayList<>();
        for (final LedgerModel.Account a : model.accountList)
        {
            lines.add(account(
                a.id, a.userData128, a.userData64, a.userData32, a.ledger, a.code, a.flags, a.timestamp,
                a.debitsPending, a.debitsPosted, a.creditsPending, a.creditsPosted));
        }
        return lines;
    }

    private static String account(
        final BigInteger id, final BigInteger userData128, final long userData64, final long userData32,
        final long ledger, final int code, final int flags, final long timestamp, final BigInteger debitsPending,
        final BigInteger debitsPosted, final BigInteger creditsPending, final BigInteger creditsPosted)
    {
        return "account " + id + " ud128=" + userData128 + " ud64=" + userData64 + " ud32=" + userData32 +
            " ledger=" + ledger + " code=" + code + " flags=" + flags + " ts=" + timestamp + " dp=" + debitsPending +
            " dP=" + debitsPosted + " cp=" + creditsPending + " cP=" + creditsPosted;
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
            final int handle = ledger.recordHandle(number);
            final long idHi = ledger.transferIdHi(handle);
            final long idLo = ledger.transferIdLo(handle);
            // A failed id's record is not a transfer: a lookup does not find it.
            if (ledger.transferIndex(idHi, idLo) >= 0)
            {
                lines.add(transfer(ledger, of(idHi, idLo)));
            }
        }
        return lines;
    }

    /**
     * @return the transfer with that id as a lookup finds it, one line, or "absent".
     */
    static String transfer(final Ledger ledger, final BigInteger id)
    {
        final int i = ledger.transferIndex(hi(id), lo(id));
        if (i < 0)
        {
            return "transfer " + id + " absent";
        }
        return transfer(
            of(ledger.transferIdHi(i), ledger.transferIdLo(i)),
            of(ledger.transferDebitAccountIdHi(i), ledger.transferDebitAccountIdLo(i)),
            of(ledger.transferCreditAccountIdHi(i), ledger.transferCreditAccountIdLo(i)),
            of(ledger.transferAmountHi(i), ledger.transferAmountLo(i)),
            of(ledger.transferPendingIdHi(i), ledger.transferPendingIdLo(i)),
            of(ledger.transferUserData128Hi(i), ledger.transferUserData128Lo(i)),
            ledger.transferUserData64(i), ledger.transferUserData32(i), ledger.transferLedger(i),
            ledger.transferTimeoutSeconds(i), ledger.transferCode(i), ledger.transferFlags(i),
            ledger.transferTimestamp(i), ledger.transferPendingState(i));
    }

    static List<String> transfers(final LedgerModel model)
    {
        final List<String> lines = new ArrayList<>();
        for (final LedgerModel.Transfer t : model.transferList)
        {
            lines.add(transfer(
                t.id, t.debitAccountId, t.creditAccountId, t.amount, t.pendingId, t.userData128, t.userData64,
                t.userData32, t.ledger, t.timeoutSeconds, t.code, t.flags, t.timestamp, t.state));
        }
        return lines;
    }

    private static String transfer(
        final BigInteger id, final BigInteger debitAccountId, final BigInteger creditAccountId,
        final BigInteger amount, final BigInteger pendingId, final BigInteger userData128, final long userData64,
        final long userData32, final long ledger, final long timeoutSeconds, final int code, final int flags,
        final long timestamp, final PendingState state)
    {
        return "transfer " + id + " dr=" + debitAccountId + " cr=" + creditAccountId + " amount=" + amount +
            " pid=" + pendingId + " ud128=" + userData128 + " ud64=" + userData64 + " ud32=" + userData32 +
            " ledger=" + ledger + " timeout=" + timeoutSeconds + " code=" + code + " flags=" + flags +
            " ts=" + timestamp + " " + state;
    }
}
