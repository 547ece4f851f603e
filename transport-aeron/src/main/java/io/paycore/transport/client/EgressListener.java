package io.paycore.transport.client;

import io.paycore.codec.sbe.AccountBalancesResultDecoder;
import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.ConnectResultDecoder;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.QueryAccountsResultDecoder;
import io.paycore.codec.sbe.QueryRefusedDecoder;
import io.paycore.codec.sbe.QueryTransfersResultDecoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;

/**
 * Receives the service's answers from {@link PaycoreClient#poll(EgressListener)}, decoded in place: each decoder
 * is a flyweight over the received bytes, wrapped at the message and valid only during the call. Read its
 * {@code correlationId()} to match the request. Called on the thread that polls; nothing is allocated.
 */
public interface EgressListener
{
    /**
     * A listener that drops every answer: for polling only to keep a cluster session alive, or to drain.
     */
    EgressListener DISCARD = new EgressListener()
    {
        public void onCreateAccountsResult(final CreateAccountsResultDecoder result)
        {
        }

        public void onCreateTransfersResult(final CreateTransfersResultDecoder result)
        {
        }

        public void onAccounts(final AccountsDecoder accounts)
        {
        }

        public void onTransfers(final TransfersDecoder transfers)
        {
        }

        public void onRejected(final RejectedDecoder rejected)
        {
        }
    };

    /**
     * One result per account event of a {@code CreateAccounts}, in the order sent.
     *
     * @param result the answer.
     */
    void onCreateAccountsResult(CreateAccountsResultDecoder result);

    /**
     * One result per transfer event of a {@code CreateTransfers}, in the order sent.
     *
     * @param result the answer.
     */
    void onCreateTransfersResult(CreateTransfersResultDecoder result);

    /**
     * The accounts found by a {@code LookupAccounts}; ids not found are left out.
     *
     * @param accounts the answer.
     */
    void onAccounts(AccountsDecoder accounts);

    /**
     * The transfers found by a {@code LookupTransfers}; ids not found are left out.
     *
     * @param transfers the answer.
     */
    void onTransfers(TransfersDecoder transfers);

    /**
     * A request the service did not accept, and why. It was not journaled, except for
     * {@link io.paycore.codec.sbe.RejectReason#UNAVAILABLE}: a request answered so when the journal failed may
     * still be applied when the service restarts, so its outcome is unknown; send it again with the same ids once
     * the service is back (what was applied answers {@code EXISTS}).
     *
     * @param rejected the answer.
     */
    void onRejected(RejectedDecoder rejected);

    /**
     * A {@code ConnectResult} after the connect (normally none). Ignored by default.
     *
     * @param connectResult the answer.
     */
    default void onConnectResult(final ConnectResultDecoder connectResult)
    {
    }

    /**
     * A query server's answer to {@code GetAccountTransfers} or {@code QueryTransfers}. Ignored by default.
     *
     * @param result the transfers, as of a journal sequence.
     */
    default void onQueryTransfersResult(final QueryTransfersResultDecoder result)
    {
    }

    /**
     * A query server's answer to {@code QueryAccounts}. Ignored by default.
     *
     * @param result the accounts, as of a journal sequence.
     */
    default void onQueryAccountsResult(final QueryAccountsResultDecoder result)
    {
    }

    /**
     * A query server's answer to {@code GetAccountBalances}. Ignored by default.
     *
     * @param result the balances, as of a journal sequence.
     */
    default void onAccountBalancesResult(final AccountBalancesResultDecoder result)
    {
    }

    /**
     * A query server's refusal of a query. Ignored by default.
     *
     * @param refused why.
     */
    default void onQueryRefused(final QueryRefusedDecoder refused)
    {
    }
}
