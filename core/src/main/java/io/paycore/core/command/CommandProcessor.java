package io.paycore.core.command;

import io.paycore.codec.FrameFault;
import io.paycore.codec.FrameValidator;
import io.paycore.codec.ProtocolLimits;
import io.paycore.codec.sbe.AccountsEncoder;
import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateAccountsResultEncoder;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.CreateTransfersResultEncoder;
import io.paycore.codec.sbe.LookupAccountsDecoder;
import io.paycore.codec.sbe.LookupTransfersDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.MessageHeaderEncoder;
import io.paycore.codec.sbe.RejectReason;
import io.paycore.codec.sbe.TransfersEncoder;
import io.paycore.codec.sbe.Uint128Decoder;
import io.paycore.core.ledger.AccountResults;
import io.paycore.core.ledger.Ledger;
import io.paycore.core.ledger.SbeAccountEvents;
import io.paycore.core.ledger.SbeTransferEvents;
import io.paycore.core.ledger.TransferResults;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Applies one journaled record to the {@link Ledger} and encodes the answer the client is owed. This is the
 * business logic of the BLP, and the same code recovery, audit and every cluster member run, so that every one of
 * them reaches the same state from the same journal.
 * <p>
 * The only inputs are the record's type, timestamp and bytes. A record that is not a valid ingress message (it can
 * only get into a journal by tampering, since ingress validates every frame) changes nothing and is counted in
 * {@link #invalidRecords()}.
 * <p>
 * Single-threaded (the BLP thread, or the one thread replaying); allocation-free.
 */
public final class CommandProcessor
{
    /**
     * Room an answer can take: the largest egress message for a full batch.
     */
    public static final int MAX_ANSWER_LENGTH = ProtocolLimits.MAX_EGRESS_MESSAGE_LENGTH;

    private final Ledger ledger;
    private final FrameValidator validator;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final CreateAccountsDecoder createAccountsDecoder = new CreateAccountsDecoder();
    private final CreateTransfersDecoder createTransfersDecoder = new CreateTransfersDecoder();
    private final LookupAccountsDecoder lookupAccountsDecoder = new LookupAccountsDecoder();
    private final LookupTransfersDecoder lookupTransfersDecoder = new LookupTransfersDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final CreateAccountsResultEncoder createAccountsResultEncoder = new CreateAccountsResultEncoder();
    private final CreateTransfersResultEncoder createTransfersResultEncoder = new CreateTransfersResultEncoder();
    private final AccountsEncoder accountsEncoder = new AccountsEncoder();
    private final TransfersEncoder transfersEncoder = new TransfersEncoder();
    private final SbeAccountEvents accountEvents = new SbeAccountEvents();
    private final SbeTransferEvents transferEvents = new SbeTransferEvents();
    private final AccountResults accountResults;
    private final TransferResults transferResults;

    private int lastTemplateId;
    private long invalidRecords;
    /** The --max-batch of the service that journaled the last LIMITS record replayed; 0 before one. */
    private int journaledMaxBatchEvents;

    /**
     * @param ledger the ledger this processor applies records to.
     */
    public CommandProcessor(final Ledger ledger)
    {
        this.ledger = ledger;
        final int maxBatchEvents = ledger.limits().maxBatchEvents();
        this.validator = FrameValidator.forIngress(maxBatchEvents);
        this.accountResults = new AccountResults(maxBatchEvents);
        this.transferResults = new TransferResults(maxBatchEvents);
    }

    /**
     * @return the ledger this processor applies records to.
     */
    public Ledger ledger()
    {
        return ledger;
    }

    /**
     * Apply one journaled record and encode the answer, if the record has one.
     *
     * @param recordType     {@link RecordTypes#MESSAGE}, {@link RecordTypes#TICK} or {@link RecordTypes#LIMITS} (puts
     *                       the ledger limits it holds in force); an {@link RecordTypes#EPOCH} (in journals of
     *                       versions with the retired replication) changes nothing; any other type changes nothing
     *                       and is counted as invalid.
     * @param timestampNanos the record's journaled timestamp.
     * @param buffer         holding the record's payload.
     * @param offset         of the payload.
     * @param length         of the payload.
     * @param answer         where the answer is encoded, {@link #MAX_ANSWER_LENGTH} bytes from answerOffset.
     * @param answerOffset   where the answer starts.
     * @return the length of the encoded answer, or 0 when the record has none (a tick, limits, an epoch, an
     * invalid record).
     * @throws LedgerCapacityException if the ledger, or this processor's batch limit, is too small to apply the
     *                                 record as it was answered (a replay on smaller limits than the history's).
     */
    public int apply(
        final int recordType,
        final long timestampNanos,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final MutableDirectBuffer answer,
        final int answerOffset)
    {
        lastTemplateId = 0;
        if (RecordTypes.TICK == recordType)
        {
            ledger.tick(timestampNanos);
            return 0;
        }

        if (RecordTypes.EPOCH == recordType)
        {
            return 0;
        }

        if (RecordTypes.LIMITS == recordType)
        {
            if (!LimitsRecord.isValid(buffer, offset, length))
            {
                invalidRecords++;
                return 0;
            }
            ledger.applyLimits(
                LimitsRecord.maxAccounts(buffer, offset),
                LimitsRecord.maxTransfers(buffer, offset),
                LimitsRecord.maxPendingTransfers(buffer, offset));
            journaledMaxBatchEvents = LimitsRecord.maxBatchEvents(buffer, offset);
            return 0;
        }

        if (RecordTypes.MESSAGE != recordType || !validator.validate(buffer, offset, length))
        {
            if (RecordTypes.MESSAGE == recordType && RejectReason.GROUP_COUNT_OVER_LIMIT == validator.reason())
            {
                // Ingress took it with a larger --max-batch: skipped, the replay would part from the original.
                final int groupCount = validator.groupCount();
                throw new LedgerCapacityException("a journaled message has " + groupCount +
                    " events, more than this replay takes (--max-batch " + validator.maxBatchEvents() +
                    "): the service that journaled it ran with a larger --max-batch; replay with --max-batch " +
                    (journaledMaxBatchEvents >= groupCount ? journaledMaxBatchEvents + " (that service's)" :
                    groupCount + " or more"));
            }
            if (RecordTypes.MESSAGE == recordType && FrameFault.MESSAGE_TOO_LONG == validator.fault())
            {
                // Well formed, but longer than this --max-batch's largest message (the longer blocks or entries of a
                // newer schema version): a service with a larger --max-batch took it. Skipped, the replay would part
                // from the original.
                final int needed = maxBatchEventsFor(length);
                if (needed > 0)
                {
                    throw new LedgerCapacityException("a journaled message of " + length + " bytes is longer than " +
                        "this replay takes (--max-batch " + validator.maxBatchEvents() + ": " +
                        validator.maxMessageLength() + " bytes): the service that journaled it ran with a larger " +
                        "--max-batch; replay with --max-batch " + (journaledMaxBatchEvents >= needed ?
                        journaledMaxBatchEvents + " (that service's)" : needed + " or more"));
                }
            }
            invalidRecords++;
            return 0;
        }

        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        lastTemplateId = templateId;
        switch (templateId)
        {
            case CreateAccountsDecoder.TEMPLATE_ID:
                return createAccounts(timestampNanos, buffer, offset, answer, answerOffset);

            case CreateTransfersDecoder.TEMPLATE_ID:
                return createTransfers(timestampNanos, buffer, offset, answer, answerOffset);

            case LookupAccountsDecoder.TEMPLATE_ID:
                ledger.tick(timestampNanos);
                return lookupAccounts(buffer, offset, answer, answerOffset);

            case LookupTransfersDecoder.TEMPLATE_ID:
                ledger.tick(timestampNanos);
                return lookupTransfers(buffer, offset, answer, answerOffset);

            default:
                // Connect and other session messages are the transport's; they do not touch the ledger.
                ledger.tick(timestampNanos);
                return 0;
        }
    }

    /**
     * @return the template id of the last message applied, 0 for a tick or an invalid record.
     */
    public int lastTemplateId()
    {
        return lastTemplateId;
    }

    /**
     * @return the per-event results of the last {@code CreateAccounts} applied.
     */
    public AccountResults accountResults()
    {
        return accountResults;
    }

    /**
     * @return the per-event results of the last {@code CreateTransfers} applied.
     */
    public TransferResults transferResults()
    {
        return transferResults;
    }

    /**
     * @return records that were not valid ingress messages and so changed nothing.
     */
    public long invalidRecords()
    {
        return invalidRecords;
    }

    /**
     * @param length of a message in bytes.
     * @return the least --max-batch whose largest message is at least {@code length} bytes long, or 0 if none is.
     */
    private static int maxBatchEventsFor(final int length)
    {
        for (int events = 1; events <= ProtocolLimits.MAX_BATCH_EVENTS; events++)
        {
            if (ProtocolLimits.maxMessageLength(events) >= length)
            {
                return events;
            }
        }
        return 0;
    }

    private void checkCapacity()
    {
        final String shortfall = ledger.capacityShortfall();
        if (null != shortfall)
        {
            throw new LedgerCapacityException(shortfall);
        }
    }

    private int createAccounts(
        final long timestampNanos,
        final DirectBuffer buffer,
        final int offset,
        final MutableDirectBuffer answer,
        final int answerOffset)
    {
        createAccountsDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = createAccountsDecoder.correlationId();
        ledger.createAccounts(accountEvents.wrap(buffer, offset), timestampNanos, accountResults);
        checkCapacity();

        final int count = accountResults.count();
        final CreateAccountsResultEncoder.ResultsEncoder results = createAccountsResultEncoder
            .wrapAndApplyHeader(answer, answerOffset, headerEncoder)
            .correlationId(correlationId)
            .resultsCount(count);
        for (int i = 0; i < count; i++)
        {
            results.next().timestamp(accountResults.timestamp(i)).result(accountResults.result(i));
        }

        return MessageHeaderEncoder.ENCODED_LENGTH + createAccountsResultEncoder.encodedLength();
    }

    private int createTransfers(
        final long timestampNanos,
        final DirectBuffer buffer,
        final int offset,
        final MutableDirectBuffer answer,
        final int answerOffset)
    {
        createTransfersDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = createTransfersDecoder.correlationId();
        ledger.createTransfers(transferEvents.wrap(buffer, offset), timestampNanos, transferResults);
        checkCapacity();

        final int count = transferResults.count();
        final CreateTransfersResultEncoder.ResultsEncoder results = createTransfersResultEncoder
            .wrapAndApplyHeader(answer, answerOffset, headerEncoder)
            .correlationId(correlationId)
            .resultsCount(count);
        for (int i = 0; i < count; i++)
        {
            results.next().timestamp(transferResults.timestamp(i)).result(transferResults.result(i));
        }

        return MessageHeaderEncoder.ENCODED_LENGTH + createTransfersResultEncoder.encodedLength();
    }

    private int lookupAccounts(
        final DirectBuffer buffer, final int offset, final MutableDirectBuffer answer, final int answerOffset)
    {
        lookupAccountsDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = lookupAccountsDecoder.correlationId();
        final LookupAccountsDecoder.IdsDecoder ids = lookupAccountsDecoder.ids();
        final AccountsEncoder.AccountEncoder accounts = accountsEncoder
            .wrapAndApplyHeader(answer, answerOffset, headerEncoder)
            .correlationId(correlationId)
            .accountCount(ids.count());

        final Ledger ledger = this.ledger;
        while (ids.hasNext())
        {
            final Uint128Decoder id = ids.next().id();
            final int index = ledger.accountIndex(id.hi(), id.lo());
            if (index >= 0)
            {
                final AccountsEncoder.AccountEncoder account = accounts.next();
                account.id().lo(ledger.accountIdLo(index)).hi(ledger.accountIdHi(index));
                account.debitsPending().lo(ledger.debitsPendingLo(index)).hi(ledger.debitsPendingHi(index));
                account.debitsPosted().lo(ledger.debitsPostedLo(index)).hi(ledger.debitsPostedHi(index));
                account.creditsPending().lo(ledger.creditsPendingLo(index)).hi(ledger.creditsPendingHi(index));
                account.creditsPosted().lo(ledger.creditsPostedLo(index)).hi(ledger.creditsPostedHi(index));
                account.userData128().lo(ledger.accountUserData128Lo(index)).hi(ledger.accountUserData128Hi(index));
                account
                    .userData64(ledger.accountUserData64(index))
                    .userData32(ledger.accountUserData32(index))
                    .reserved(0)
                    .ledger(ledger.accountLedger(index))
                    .code(ledger.accountCode(index))
                    .flags(ledger.accountFlags(index))
                    .timestamp(ledger.accountTimestamp(index));
            }
        }
        accounts.resetCountToIndex();

        return MessageHeaderEncoder.ENCODED_LENGTH + accountsEncoder.encodedLength();
    }

    private int lookupTransfers(
        final DirectBuffer buffer, final int offset, final MutableDirectBuffer answer, final int answerOffset)
    {
        lookupTransfersDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = lookupTransfersDecoder.correlationId();
        final LookupTransfersDecoder.IdsDecoder ids = lookupTransfersDecoder.ids();
        final TransfersEncoder.TransferEncoder transfers = transfersEncoder
            .wrapAndApplyHeader(answer, answerOffset, headerEncoder)
            .correlationId(correlationId)
            .transferCount(ids.count());

        final Ledger ledger = this.ledger;
        while (ids.hasNext())
        {
            final Uint128Decoder id = ids.next().id();
            final int index = ledger.transferIndex(id.hi(), id.lo());
            if (index >= 0)
            {
                final TransfersEncoder.TransferEncoder transfer = transfers.next();
                transfer.id().lo(ledger.transferIdLo(index)).hi(ledger.transferIdHi(index));
                transfer.debitAccountId()
                    .lo(ledger.transferDebitAccountIdLo(index)).hi(ledger.transferDebitAccountIdHi(index));
                transfer.creditAccountId()
                    .lo(ledger.transferCreditAccountIdLo(index)).hi(ledger.transferCreditAccountIdHi(index));
                transfer.amount().lo(ledger.transferAmountLo(index)).hi(ledger.transferAmountHi(index));
                transfer.pendingId().lo(ledger.transferPendingIdLo(index)).hi(ledger.transferPendingIdHi(index));
                transfer.userData128()
                    .lo(ledger.transferUserData128Lo(index)).hi(ledger.transferUserData128Hi(index));
                transfer
                    .userData64(ledger.transferUserData64(index))
                    .userData32(ledger.transferUserData32(index))
                    .timeoutSeconds(ledger.transferTimeoutSeconds(index))
                    .ledger(ledger.transferLedger(index))
                    .code(ledger.transferCode(index))
                    .flags(ledger.transferFlags(index))
                    .timestamp(ledger.transferTimestamp(index));
            }
        }
        transfers.resetCountToIndex();

        return MessageHeaderEncoder.ENCODED_LENGTH + transfersEncoder.encodedLength();
    }
}
