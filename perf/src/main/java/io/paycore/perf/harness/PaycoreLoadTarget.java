package io.paycore.perf.harness;

import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.CreateAccountResult;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransferResult;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.core.command.RequestEncoder;
import io.paycore.core.ledger.AccountEventArray;
import io.paycore.core.ledger.TransferEventArray;
import io.paycore.transport.client.ClientContext;
import io.paycore.transport.client.CreateResults;
import io.paycore.transport.client.EgressListener;
import io.paycore.transport.client.PaycoreClient;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Sends {@code CreateTransfers} messages of single-phase transfers between random pairs of a fixed set of accounts
 * through a {@link PaycoreClient}, and records the {@code CreateTransfersResult} answers.
 * <p>
 * {@link #connect} creates the accounts first (an account that already exists, from an earlier run against the same
 * service, is fine). Transfer ids start at a random base so that runs against one service do not collide. The
 * accounts have no balance limits, so every transfer is {@code OK} unless the ledger is full.
 * <p>
 * {@link #offer()} and {@link #poll} run on the load generator's thread and allocate nothing.
 */
public final class PaycoreLoadTarget implements LoadTarget, EgressListener
{
    /** Ledger (currency) of the benchmark's accounts and transfers. */
    public static final int LEDGER = 978;
    /** Code of the benchmark's accounts and transfers. */
    public static final int CODE = 7;
    /** First account id; ids run from here for {@code accounts}. */
    public static final long FIRST_ACCOUNT_ID = 7_000_000_001L;

    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
    private static final int PAIRS = 1 << 16;

    private final PaycoreClient client;
    private final TransferEventArray transfers;
    private final int batch;
    private final long[] debitAccountIds = new long[PAIRS];
    private final long[] creditAccountIds = new long[PAIRS];
    private final long[] amounts = new long[PAIRS];
    private final int messageLengthBytes;
    private LatencyRecorder recorder;
    private long nextTransferId;
    private int nextPair;

    private PaycoreLoadTarget(final PaycoreClient client, final int batch, final int accounts, final long seed)
    {
        this.client = client;
        this.batch = batch;
        this.transfers = new TransferEventArray(batch);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < PAIRS; i++)
        {
            final int debit = random.nextInt(accounts);
            int credit = random.nextInt(accounts - 1);
            if (credit >= debit)
            {
                credit++;
            }
            debitAccountIds[i] = FIRST_ACCOUNT_ID + debit;
            creditAccountIds[i] = FIRST_ACCOUNT_ID + credit;
            amounts[i] = 1 + random.nextInt(1_000);
        }
        nextTransferId = (1 + (random.nextLong() >>> 24)) << 20;
        fill();
        messageLengthBytes = new RequestEncoder().createTransfers(new ExpandableArrayBuffer(), 0, 1, transfers);
    }

    /**
     * Connect a client and create the accounts.
     *
     * @param context  the client's settings.
     * @param batch    transfers per message, 1..1024 (and at most the service's limit).
     * @param accounts accounts to transfer between, at least 2.
     * @param seed     seed of the random pairs and the transfer id base.
     * @return the target, ready.
     * @throws IllegalStateException if an account could not be created.
     */
    public static PaycoreLoadTarget connect(
        final ClientContext context, final int batch, final int accounts, final long seed)
    {
        if (accounts < 2)
        {
            throw new IllegalArgumentException("accounts must be at least 2: " + accounts);
        }
        final PaycoreClient client = PaycoreClient.connect(context);
        try
        {
            createAccounts(client, accounts, Math.max(1, Math.min(batch, 1024)));
            return new PaycoreLoadTarget(client, batch, accounts, seed);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(client);
            throw ex;
        }
    }

    /**
     * Create the benchmark's accounts, or find them created already.
     *
     * @param client   connected.
     * @param accounts how many, from {@link #FIRST_ACCOUNT_ID}.
     * @param batch    accounts per message.
     * @throws IllegalStateException if one could not be created.
     */
    public static void createAccounts(final PaycoreClient client, final int accounts, final int batch)
    {
        final AccountEventArray events = new AccountEventArray(batch);
        for (int i = 0; i < accounts; )
        {
            events.reset();
            for (int k = 0; k < batch && i < accounts; k++, i++)
            {
                events.add(FIRST_ACCOUNT_ID + i, 0, LEDGER, CODE, 0);
            }
            final CreateResults<CreateAccountResult> results = client.createAccountsAndWait(events, SETUP_TIMEOUT);
            for (int k = 0; k < results.count(); k++)
            {
                final CreateAccountResult result = results.result(k);
                if (CreateAccountResult.OK != result && CreateAccountResult.EXISTS != result)
                {
                    throw new IllegalStateException("could not create benchmark account " + events.idLo(k) + ": " +
                        result);
                }
            }
        }
    }

    private void fill()
    {
        final TransferEventArray transfers = this.transfers;
        transfers.reset();
        for (int i = 0; i < batch; i++)
        {
            final int pair = nextPair;
            nextPair = (pair + 1) & (PAIRS - 1);
            transfers.add(
                nextTransferId++, debitAccountIds[pair], creditAccountIds[pair], amounts[pair], 0, 0, LEDGER, 0, CODE, 0);
        }
    }

    /**
     * {@inheritDoc}
     */
    public long offer()
    {
        final long correlationId = client.createTransfers(transfers);
        if (correlationId > 0)
        {
            fill();
        }
        return correlationId;
    }

    /**
     * {@inheritDoc}
     */
    public int poll(final LatencyRecorder recorder)
    {
        this.recorder = recorder;
        return client.poll(this);
    }

    /**
     * {@inheritDoc}
     */
    public int messageLengthBytes()
    {
        return messageLengthBytes;
    }

    /**
     * {@inheritDoc}
     */
    public String name()
    {
        return "paycore";
    }

    /**
     * Close the client.
     */
    public void close()
    {
        CloseHelper.close(client);
    }

    /**
     * Records the arrival; counts the events that did not succeed.
     *
     * @param result the answer.
     */
    public void onCreateTransfersResult(final CreateTransfersResultDecoder result)
    {
        final long arrivalNanos = System.nanoTime();
        int failed = 0;
        for (final CreateTransfersResultDecoder.ResultsDecoder entry : result.results())
        {
            if (CreateTransferResult.OK != entry.result())
            {
                failed++;
            }
        }
        recorder.onAnswer(result.correlationId(), arrivalNanos, failed);
    }

    /**
     * Records the arrival of a rejection.
     *
     * @param rejected the answer.
     */
    public void onRejected(final RejectedDecoder rejected)
    {
        recorder.onRejected(rejected.correlationId(), System.nanoTime());
    }

    /**
     * Not sent by this target.
     *
     * @param result ignored.
     */
    public void onCreateAccountsResult(final CreateAccountsResultDecoder result)
    {
    }

    /**
     * Not sent by this target.
     *
     * @param accounts ignored.
     */
    public void onAccounts(final AccountsDecoder accounts)
    {
    }

    /**
     * Not sent by this target.
     *
     * @param transfers ignored.
     */
    public void onTransfers(final TransfersDecoder transfers)
    {
    }
}
