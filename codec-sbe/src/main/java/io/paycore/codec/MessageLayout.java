package io.paycore.codec;

import io.paycore.codec.sbe.AccountBalancesResultDecoder;
import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.ConnectDecoder;
import io.paycore.codec.sbe.ConnectResultDecoder;
import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.FeedChangeDecoder;
import io.paycore.codec.sbe.FeedSubscriptionDecoder;
import io.paycore.codec.sbe.GetAccountBalancesDecoder;
import io.paycore.codec.sbe.GetAccountTransfersDecoder;
import io.paycore.codec.sbe.GroupSizeEncodingDecoder;
import io.paycore.codec.sbe.LookupAccountsDecoder;
import io.paycore.codec.sbe.LookupTransfersDecoder;
import io.paycore.codec.sbe.MessageHeaderDecoder;
import io.paycore.codec.sbe.QueryAccountsDecoder;
import io.paycore.codec.sbe.QueryAccountsResultDecoder;
import io.paycore.codec.sbe.QueryRefusedDecoder;
import io.paycore.codec.sbe.QueryTransfersDecoder;
import io.paycore.codec.sbe.QueryTransfersResultDecoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.SubscribeFeedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.codec.sbe.VarAsciiEncodingDecoder;

/**
 * The wire shape of one template of schema version 2 and later, as the frame validator walks it: the header, a root
 * block of fixed length, at most one repeating group of fixed-length entries (no nested groups), then a number of var
 * data fields. In version 2 an account or transfer entry is 128 bytes (TigerBeetle's layout), a looked-up id 16 bytes
 * (a {@code uint128}) and a result 12 bytes (timestamp and an int32 code); the lengths here are the least a frame of
 * a newer version may declare, since such a version may only append fields. Version 3 appended a client id and a
 * credential to {@code SubscribeFeed} and the queries; a version 2 frame of those is walked with the shape it had then
 * ({@link #forVersion(int)}), so that the server reading it can answer that it carries no credential.
 * <p>
 * Every value comes from the generated codecs, so a schema change that alters a length is picked up by the build. A
 * schema change that alters the <em>shape</em> (a second group, a nested group, var data inside a group, a new
 * template) must be mirrored in {@link #INGRESS} / {@link #EGRESS}; {@code MessageLayoutTest} checks the table
 * against the generated codecs.
 */
final class MessageLayout
{
    /**
     * {@link #groupBlockLengthBytes} of a template without a repeating group.
     */
    static final int NO_GROUP = -1;

    /**
     * {@link #correlationIdOffsetBytes} of a template without a correlation id (a change-feed event).
     */
    static final int NO_CORRELATION_ID = -1;

    /**
     * The schema version that added a client id and credential to {@code SubscribeFeed} and the queries.
     */
    static final int CREDENTIAL_VERSION = 3;

    /**
     * Bytes of the length prefix in front of each var data field: the data starts right after it.
     */
    static final int VAR_DATA_HEADER_LENGTH = VarAsciiEncodingDecoder.varDataEncodingOffset();

    /**
     * Layouts of the messages a client sends, templates 1..5.
     */
    static final MessageLayout[] INGRESS =
    {
        new MessageLayout(
            ConnectDecoder.TEMPLATE_ID, "Connect", ConnectDecoder.BLOCK_LENGTH,
            ConnectDecoder.correlationIdEncodingOffset(), NO_GROUP, "credential", "responseChannel"),
        new MessageLayout(
            CreateAccountsDecoder.TEMPLATE_ID, "CreateAccounts", CreateAccountsDecoder.BLOCK_LENGTH,
            CreateAccountsDecoder.correlationIdEncodingOffset(),
            CreateAccountsDecoder.AccountsDecoder.sbeBlockLength()),
        new MessageLayout(
            CreateTransfersDecoder.TEMPLATE_ID, "CreateTransfers", CreateTransfersDecoder.BLOCK_LENGTH,
            CreateTransfersDecoder.correlationIdEncodingOffset(),
            CreateTransfersDecoder.TransfersDecoder.sbeBlockLength()),
        new MessageLayout(
            LookupAccountsDecoder.TEMPLATE_ID, "LookupAccounts", LookupAccountsDecoder.BLOCK_LENGTH,
            LookupAccountsDecoder.correlationIdEncodingOffset(),
            LookupAccountsDecoder.IdsDecoder.sbeBlockLength()),
        new MessageLayout(
            LookupTransfersDecoder.TEMPLATE_ID, "LookupTransfers", LookupTransfersDecoder.BLOCK_LENGTH,
            LookupTransfersDecoder.correlationIdEncodingOffset(),
            LookupTransfersDecoder.IdsDecoder.sbeBlockLength()),
    };

    /**
     * Layouts of the messages the service sends back, templates 101..106.
     */
    static final MessageLayout[] EGRESS =
    {
        new MessageLayout(
            ConnectResultDecoder.TEMPLATE_ID, "ConnectResult", ConnectResultDecoder.BLOCK_LENGTH,
            ConnectResultDecoder.correlationIdEncodingOffset(), NO_GROUP, "detail"),
        new MessageLayout(
            CreateAccountsResultDecoder.TEMPLATE_ID, "CreateAccountsResult", CreateAccountsResultDecoder.BLOCK_LENGTH,
            CreateAccountsResultDecoder.correlationIdEncodingOffset(),
            CreateAccountsResultDecoder.ResultsDecoder.sbeBlockLength()),
        new MessageLayout(
            CreateTransfersResultDecoder.TEMPLATE_ID, "CreateTransfersResult",
            CreateTransfersResultDecoder.BLOCK_LENGTH,
            CreateTransfersResultDecoder.correlationIdEncodingOffset(),
            CreateTransfersResultDecoder.ResultsDecoder.sbeBlockLength()),
        new MessageLayout(
            AccountsDecoder.TEMPLATE_ID, "Accounts", AccountsDecoder.BLOCK_LENGTH,
            AccountsDecoder.correlationIdEncodingOffset(),
            AccountsDecoder.AccountDecoder.sbeBlockLength()),
        new MessageLayout(
            TransfersDecoder.TEMPLATE_ID, "Transfers", TransfersDecoder.BLOCK_LENGTH,
            TransfersDecoder.correlationIdEncodingOffset(),
            TransfersDecoder.TransferDecoder.sbeBlockLength()),
        new MessageLayout(
            RejectedDecoder.TEMPLATE_ID, "Rejected", RejectedDecoder.BLOCK_LENGTH,
            RejectedDecoder.correlationIdEncodingOffset(), NO_GROUP, "detail"),
    };

    /**
     * Layouts of the requests a change-feed subscriber sends a feed server, templates 20..99.
     */
    static final MessageLayout[] FEED_REQUESTS =
    {
        new MessageLayout(
            SubscribeFeedDecoder.TEMPLATE_ID, "SubscribeFeed", SubscribeFeedDecoder.BLOCK_LENGTH,
            SubscribeFeedDecoder.correlationIdEncodingOffset(), NO_GROUP, "responseChannel", "credential")
            .before(CREDENTIAL_VERSION, SubscribeFeedDecoder.responseStreamIdEncodingOffset() +
                SubscribeFeedDecoder.responseStreamIdEncodingLength(), "responseChannel"),
    };

    /**
     * Layouts of what a feed server sends a subscriber, templates 120..199.
     */
    static final MessageLayout[] FEED_EVENTS =
    {
        new MessageLayout(
            FeedSubscriptionDecoder.TEMPLATE_ID, "FeedSubscription", FeedSubscriptionDecoder.BLOCK_LENGTH,
            FeedSubscriptionDecoder.correlationIdEncodingOffset(), NO_GROUP, "detail"),
        new MessageLayout(
            FeedChangeDecoder.TEMPLATE_ID, "FeedChange", FeedChangeDecoder.BLOCK_LENGTH, NO_CORRELATION_ID, NO_GROUP),
    };

    /**
     * Layouts of the queries a client sends a query server, templates 30..99.
     */
    static final MessageLayout[] QUERY_REQUESTS =
    {
        new MessageLayout(
            GetAccountTransfersDecoder.TEMPLATE_ID, "GetAccountTransfers", GetAccountTransfersDecoder.BLOCK_LENGTH,
            GetAccountTransfersDecoder.correlationIdEncodingOffset(), NO_GROUP, "responseChannel", "credential")
            .before(CREDENTIAL_VERSION, versionTwoBlockLength(GetAccountTransfersDecoder.codeEncodingOffset(),
                GetAccountTransfersDecoder.codeEncodingLength()), "responseChannel"),
        new MessageLayout(
            GetAccountBalancesDecoder.TEMPLATE_ID, "GetAccountBalances", GetAccountBalancesDecoder.BLOCK_LENGTH,
            GetAccountBalancesDecoder.correlationIdEncodingOffset(), NO_GROUP, "responseChannel", "credential")
            .before(CREDENTIAL_VERSION, versionTwoBlockLength(GetAccountBalancesDecoder.codeEncodingOffset(),
                GetAccountBalancesDecoder.codeEncodingLength()), "responseChannel"),
        new MessageLayout(
            QueryAccountsDecoder.TEMPLATE_ID, "QueryAccounts", QueryAccountsDecoder.BLOCK_LENGTH,
            QueryAccountsDecoder.correlationIdEncodingOffset(), NO_GROUP, "responseChannel", "credential")
            .before(CREDENTIAL_VERSION, versionTwoBlockLength(QueryAccountsDecoder.codeEncodingOffset(),
                QueryAccountsDecoder.codeEncodingLength()), "responseChannel"),
        new MessageLayout(
            QueryTransfersDecoder.TEMPLATE_ID, "QueryTransfers", QueryTransfersDecoder.BLOCK_LENGTH,
            QueryTransfersDecoder.correlationIdEncodingOffset(), NO_GROUP, "responseChannel", "credential")
            .before(CREDENTIAL_VERSION, versionTwoBlockLength(QueryTransfersDecoder.codeEncodingOffset(),
                QueryTransfersDecoder.codeEncodingLength()), "responseChannel"),
    };

    /**
     * Layouts of what a query server answers, templates 130..199.
     */
    static final MessageLayout[] QUERY_ANSWERS =
    {
        new MessageLayout(
            QueryTransfersResultDecoder.TEMPLATE_ID, "QueryTransfersResult", QueryTransfersResultDecoder.BLOCK_LENGTH,
            QueryTransfersResultDecoder.correlationIdEncodingOffset(),
            QueryTransfersResultDecoder.TransferDecoder.sbeBlockLength()),
        new MessageLayout(
            QueryAccountsResultDecoder.TEMPLATE_ID, "QueryAccountsResult", QueryAccountsResultDecoder.BLOCK_LENGTH,
            QueryAccountsResultDecoder.correlationIdEncodingOffset(),
            QueryAccountsResultDecoder.AccountDecoder.sbeBlockLength()),
        new MessageLayout(
            AccountBalancesResultDecoder.TEMPLATE_ID, "AccountBalancesResult",
            AccountBalancesResultDecoder.BLOCK_LENGTH, AccountBalancesResultDecoder.correlationIdEncodingOffset(),
            AccountBalancesResultDecoder.BalanceDecoder.sbeBlockLength()),
        new MessageLayout(
            QueryRefusedDecoder.TEMPLATE_ID, "QueryRefused", QueryRefusedDecoder.BLOCK_LENGTH,
            QueryRefusedDecoder.correlationIdEncodingOffset(), NO_GROUP, "detail"),
    };

    final int templateId;
    final String name;
    final int blockLengthBytes;
    final int correlationIdOffsetBytes;
    final int groupBlockLengthBytes;
    final int varDataCount;
    final String[] varDataNames;
    /**
     * Frames of a version below this are walked with {@link #older}; 0 when every version has this shape.
     */
    int sinceVersion;
    MessageLayout older;

    private MessageLayout(
        final int templateId,
        final String name,
        final int blockLengthBytes,
        final int correlationIdOffsetBytes,
        final int groupBlockLengthBytes,
        final String... varDataNames)
    {
        this.templateId = templateId;
        this.name = name;
        this.blockLengthBytes = blockLengthBytes;
        this.correlationIdOffsetBytes = correlationIdOffsetBytes;
        this.groupBlockLengthBytes = groupBlockLengthBytes;
        this.varDataCount = varDataNames.length;
        this.varDataNames = varDataNames;
    }

    /**
     * Give this template the shape it had before {@code version}, when its block and var data were shorter.
     *
     * @param version          the version that gave the template its current shape.
     * @param blockLengthBytes the root block's length before it.
     * @param varDataNames     the var data fields before it.
     * @return this layout.
     */
    private MessageLayout before(final int version, final int blockLengthBytes, final String... varDataNames)
    {
        older = new MessageLayout(
            templateId, name, blockLengthBytes, correlationIdOffsetBytes, groupBlockLengthBytes, varDataNames);
        sinceVersion = version;
        return this;
    }

    /**
     * @return the length of a block that ends with a field at this offset, of this length.
     */
    private static int versionTwoBlockLength(final int lastFieldOffsetBytes, final int lastFieldLengthBytes)
    {
        return lastFieldOffsetBytes + lastFieldLengthBytes;
    }

    /**
     * The shape a frame of {@code version} has.
     *
     * @param version the frame's schema version.
     * @return this layout, or the older one for a version before {@link #sinceVersion}.
     */
    MessageLayout forVersion(final int version)
    {
        return version < sinceVersion ? older : this;
    }

    boolean hasGroup()
    {
        return NO_GROUP != groupBlockLengthBytes;
    }

    /**
     * Length of the longest valid message of this template when a group holds at most {@code maxGroupCount} entries
     * and every var data field holds {@link VarAsciiEncodingDecoder#lengthMaxValue()} bytes.
     *
     * @param maxGroupCount the most entries a group may hold.
     * @return the length in bytes, header included.
     */
    int maxEncodedLengthBytes(final int maxGroupCount)
    {
        int lengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + blockLengthBytes;
        if (hasGroup())
        {
            lengthBytes += GroupSizeEncodingDecoder.ENCODED_LENGTH + maxGroupCount * groupBlockLengthBytes;
        }
        lengthBytes += varDataCount * (VAR_DATA_HEADER_LENGTH + VarAsciiEncodingDecoder.lengthMaxValue());

        return lengthBytes;
    }

    /**
     * The longest valid message among {@code layouts}.
     *
     * @param layouts       the templates to consider.
     * @param maxGroupCount the most entries a group may hold.
     * @return the length in bytes, header included.
     */
    static int maxEncodedLengthBytes(final MessageLayout[] layouts, final int maxGroupCount)
    {
        int maxLengthBytes = 0;
        for (final MessageLayout layout : layouts)
        {
            maxLengthBytes = Math.max(maxLengthBytes, layout.maxEncodedLengthBytes(maxGroupCount));
        }

        return maxLengthBytes;
    }

    /**
     * Index {@code layouts} by template id for a constant-time look-up on the hot path.
     *
     * @param layouts the accepted templates.
     * @return an array whose element {@code templateId} is that template's layout, or null where no template is.
     */
    static MessageLayout[] byTemplateId(final MessageLayout[] layouts)
    {
        int maxTemplateId = 0;
        for (final MessageLayout layout : layouts)
        {
            maxTemplateId = Math.max(maxTemplateId, layout.templateId);
        }

        final MessageLayout[] byTemplateId = new MessageLayout[maxTemplateId + 1];
        for (final MessageLayout layout : layouts)
        {
            byTemplateId[layout.templateId] = layout;
        }

        return byTemplateId;
    }
}
