package io.paycore.perf.bench;

import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.transport.client.EgressListener;
import io.paycore.transport.client.PaycoreClient;
import io.paycore.transport.client.PaycoreClientException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Sends a run of valid single-phase transfers with ascending ids as fast as the service answers, a window of
 * messages in flight: what the soak measures memory under, and how the latency benchmark gives the ledger a history
 * before it measures. Each transfer's accounts and amount are a function of its id, so a check can recompute them.
 */
final class TransferFlood implements EgressListener
{
    private static final long STALL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final long firstAccountId;
    private final int accounts;
    private final int ledger;
    private final int code;
    private int inFlight;
    private long ok;
    private long failed;
    private long rejected;

    /**
     * @param firstAccountId the lowest of the accounts, which must exist.
     * @param accounts       how many accounts from it, at least 2.
     * @param ledger         the accounts' ledger.
     * @param code           the transfers' code.
     */
    TransferFlood(final long firstAccountId, final int accounts, final int ledger, final int code)
    {
        this.firstAccountId = firstAccountId;
        this.accounts = accounts;
        this.ledger = ledger;
        this.code = code;
    }

    /**
     * Send transfers {@code firstId .. firstId + count - 1} and wait for every answer.
     *
     * @param acknowledged told the count of transfers created so far, after each poll.
     * @throws PaycoreClientException if the service goes away or answers nothing for 60 s.
     * @throws IllegalStateException  if a transfer was not created.
     */
    void send(
        final PaycoreClient client,
        final long firstId,
        final long count,
        final int batch,
        final int window,
        final LongConsumer acknowledged)
    {
        final TransferEventArray events = new TransferEventArray(batch);
        final IdleStrategy idle = new BackoffIdleStrategy();
        final long endId = firstId + count;
        long nextId = firstId;
        boolean haveBatch = false;
        long lastProgressNanos = System.nanoTime();
        while (nextId < endId || haveBatch || inFlight > 0)
        {
            int work = 0;
            while (inFlight < window && (haveBatch || nextId < endId))
            {
                if (!haveBatch)
                {
                    events.reset();
                    while (events.count() < batch && nextId < endId)
                    {
                        add(events, nextId++);
                    }
                    haveBatch = true;
                }
                if (!PaycoreClient.sent(client.createTransfers(events)))
                {
                    break;
                }
                haveBatch = false;
                inFlight++;
                work++;
            }
            final int polled = client.poll(this);
            work += polled;
            acknowledged.accept(ok);
            if (polled > 0)
            {
                lastProgressNanos = System.nanoTime();
            }
            else if (System.nanoTime() - lastProgressNanos > STALL_TIMEOUT_NANOS)
            {
                throw new PaycoreClientException("no answer from the service for 60 s with " + inFlight +
                    " messages in flight");
            }
            idle.idle(work);
        }
        if (failed > 0 || rejected > 0)
        {
            throw new IllegalStateException(failed + " transfers failed and " + rejected + " messages were " +
                "rejected, of " + count + " transfers sent");
        }
    }

    /**
     * Add transfer {@code id} as this flood sends it.
     */
    void add(final TransferEventArray events, final long id)
    {
        events.add(id, debit(id), credit(id), amount(id), 0, id, ledger, 0, code, 0);
    }

    long debit(final long id)
    {
        return firstAccountId + Long.remainderUnsigned(mix(id), accounts);
    }

    long credit(final long id)
    {
        final long debit = debit(id) - firstAccountId;
        return firstAccountId + (debit + 1 + Long.remainderUnsigned(mix(id ^ 0x5DEECE66DL), accounts - 1)) % accounts;
    }

    static long amount(final long id)
    {
        return 1 + id % 1000;
    }

    private static long mix(final long value)
    {
        long z = value * 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        return z ^ (z >>> 31);
    }

    public void onCreateAccountsResult(final CreateAccountsResultDecoder result)
    {
    }

    public void onCreateTransfersResult(final CreateTransfersResultDecoder result)
    {
        inFlight--;
        for (final CreateTransfersResultDecoder.ResultsDecoder entry : result.results())
        {
            if (CreateTransferResult.OK == entry.result())
            {
                ok++;
            }
            else
            {
                failed++;
            }
        }
    }

    public void onAccounts(final AccountsDecoder accounts)
    {
    }

    public void onTransfers(final TransfersDecoder transfers)
    {
    }

    public void onRejected(final RejectedDecoder rejectedDecoder)
    {
        inFlight--;
        rejected++;
    }
}
