package io.paycore.codec;

import io.paycore.codec.sbe.AccountsDecoder;
import io.paycore.codec.sbe.ConnectDecoder;
import io.paycore.codec.sbe.ConnectResultDecoder;
import io.paycore.codec.sbe.CreateAccountsDecoder;
import io.paycore.codec.sbe.CreateAccountsResultDecoder;
import io.paycore.codec.sbe.CreateTransfersDecoder;
import io.paycore.codec.sbe.CreateTransfersResultDecoder;
import io.paycore.codec.sbe.LookupAccountsDecoder;
import io.paycore.codec.sbe.LookupTransfersDecoder;
import io.paycore.codec.sbe.RejectedDecoder;
import io.paycore.codec.sbe.TransfersDecoder;
import io.paycore.codec.sbe.Uint128Decoder;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageLayoutTest
{
    private static final int FIRST_FEED_REQUEST_TEMPLATE_ID = 20;
    private static final int FIRST_QUERY_TEMPLATE_ID = 30;
    private static final int FIRST_EGRESS_TEMPLATE_ID = 101;
    private static final int FIRST_FEED_EVENT_TEMPLATE_ID = 120;
    private static final int FIRST_QUERY_ANSWER_TEMPLATE_ID = 130;

    @Test
    void shouldDescribeEveryMessageOfTheSchemaWithItsShape() throws Exception
    {
        final MessageLayout[] ingress = MessageLayout.byTemplateId(MessageLayout.INGRESS);
        final MessageLayout[] egress = MessageLayout.byTemplateId(MessageLayout.EGRESS);
        final MessageLayout[] feedRequests = MessageLayout.byTemplateId(MessageLayout.FEED_REQUESTS);
        final MessageLayout[] feedEvents = MessageLayout.byTemplateId(MessageLayout.FEED_EVENTS);
        final MessageLayout[] queries = MessageLayout.byTemplateId(MessageLayout.QUERY_REQUESTS);
        final MessageLayout[] answers = MessageLayout.byTemplateId(MessageLayout.QUERY_ANSWERS);
        final NodeList messages = schema().getElementsByTagName("sbe:message");
        int described = 0;

        for (int i = 0; i < messages.getLength(); i++)
        {
            final Element message = (Element)messages.item(i);
            final int templateId = Integer.parseInt(message.getAttribute("id"));
            final MessageLayout[] side = templateId < FIRST_FEED_REQUEST_TEMPLATE_ID ? ingress :
                templateId < FIRST_QUERY_TEMPLATE_ID ? feedRequests :
                templateId < FIRST_EGRESS_TEMPLATE_ID ? queries :
                templateId < FIRST_FEED_EVENT_TEMPLATE_ID ? egress :
                templateId < FIRST_QUERY_ANSWER_TEMPLATE_ID ? feedEvents : answers;
            assertTrue(templateId < side.length && null != side[templateId], "no layout for template " + templateId);

            final MessageLayout layout = side[templateId];
            assertEquals(message.getAttribute("name"), layout.name);
            assertEquals(layout.hasGroup() ? 1 : 0, children(message, "group"), layout.name + " groups");
            assertEquals(layout.varDataCount, children(message, "data"), layout.name + " var data");
            for (int g = 0; g < message.getElementsByTagName("group").getLength(); g++)
            {
                final Element group = (Element)message.getElementsByTagName("group").item(g);
                assertEquals(0, children(group, "group"), "nested groups are not walked");
                assertEquals(0, children(group, "data"), "var data inside groups is not walked");
            }
            described++;
        }

        assertEquals(MessageLayout.INGRESS.length + MessageLayout.EGRESS.length +
            MessageLayout.FEED_REQUESTS.length + MessageLayout.FEED_EVENTS.length +
            MessageLayout.QUERY_REQUESTS.length + MessageLayout.QUERY_ANSWERS.length, described);
    }

    @Test
    void shouldPredictTheLengthOfTheLongestEncodedMessageOfEveryTemplate()
    {
        for (final MessageLayout[] layouts : new MessageLayout[][]{ MessageLayout.INGRESS, MessageLayout.EGRESS })
        {
            for (final MessageLayout layout : layouts)
            {
                final int max = ProtocolLimits.MAX_BATCH_EVENTS;
                assertEquals(
                    Frames.frame(layout.templateId, 1, max).length, layout.maxEncodedLengthBytes(max), layout.name);
            }
        }
    }

    @Test
    void shouldGiveVersionTwoEntriesTheirLengths()
    {
        assertEquals(128, layout(CreateAccountsDecoder.TEMPLATE_ID).groupBlockLengthBytes, "an account");
        assertEquals(128, layout(CreateTransfersDecoder.TEMPLATE_ID).groupBlockLengthBytes, "a transfer");
        assertEquals(16, layout(LookupAccountsDecoder.TEMPLATE_ID).groupBlockLengthBytes, "an account id");
        assertEquals(16, layout(LookupTransfersDecoder.TEMPLATE_ID).groupBlockLengthBytes, "a transfer id");
        assertEquals(12, layout(CreateAccountsResultDecoder.TEMPLATE_ID).groupBlockLengthBytes, "timestamp, result");
        assertEquals(12, layout(CreateTransfersResultDecoder.TEMPLATE_ID).groupBlockLengthBytes, "timestamp, result");
        assertEquals(128, layout(AccountsDecoder.TEMPLATE_ID).groupBlockLengthBytes, "an account");
        assertEquals(128, layout(TransfersDecoder.TEMPLATE_ID).groupBlockLengthBytes, "a transfer");

        for (final MessageLayout[] layouts : new MessageLayout[][]{ MessageLayout.INGRESS, MessageLayout.EGRESS })
        {
            for (final MessageLayout layout : layouts)
            {
                assertEquals(0, layout.correlationIdOffsetBytes, layout.name + ": where a Rejected finds it");
            }
        }
        assertEquals(8, layout(CreateTransfersDecoder.TEMPLATE_ID).blockLengthBytes);
        assertEquals(20, layout(ConnectDecoder.TEMPLATE_ID).blockLengthBytes, "unchanged from version 1");
        assertEquals(11, layout(RejectedDecoder.TEMPLATE_ID).blockLengthBytes, "unchanged: old clients read it");
        assertEquals(17, layout(ConnectResultDecoder.TEMPLATE_ID).blockLengthBytes, "unchanged: old clients read it");
    }

    @Test
    void shouldLayAccountsOutAsTigerBeetleDoes()
    {
        assertEquals(0, Uint128Decoder.loEncodingOffset(), "low half first");
        assertEquals(8, Uint128Decoder.hiEncodingOffset());

        final int[] ingress = {
            CreateAccountsDecoder.AccountsDecoder.idEncodingOffset(),
            CreateAccountsDecoder.AccountsDecoder.debitsPendingEncodingOffset(),
            CreateAccountsDecoder.AccountsDecoder.debitsPostedEncodingOffset(),
            CreateAccountsDecoder.AccountsDecoder.creditsPendingEncodingOffset(),
            CreateAccountsDecoder.AccountsDecoder.creditsPostedEncodingOffset(),
            CreateAccountsDecoder.AccountsDecoder.userData128EncodingOffset(),
            CreateAccountsDecoder.AccountsDecoder.userData64EncodingOffset(),
            CreateAccountsDecoder.AccountsDecoder.userData32EncodingOffset(),
            CreateAccountsDecoder.AccountsDecoder.reservedEncodingOffset(),
            CreateAccountsDecoder.AccountsDecoder.ledgerEncodingOffset(),
            CreateAccountsDecoder.AccountsDecoder.codeEncodingOffset(),
            CreateAccountsDecoder.AccountsDecoder.flagsEncodingOffset(),
            CreateAccountsDecoder.AccountsDecoder.timestampEncodingOffset(),
        };
        final int[] egress = {
            AccountsDecoder.AccountDecoder.idEncodingOffset(),
            AccountsDecoder.AccountDecoder.debitsPendingEncodingOffset(),
            AccountsDecoder.AccountDecoder.debitsPostedEncodingOffset(),
            AccountsDecoder.AccountDecoder.creditsPendingEncodingOffset(),
            AccountsDecoder.AccountDecoder.creditsPostedEncodingOffset(),
            AccountsDecoder.AccountDecoder.userData128EncodingOffset(),
            AccountsDecoder.AccountDecoder.userData64EncodingOffset(),
            AccountsDecoder.AccountDecoder.userData32EncodingOffset(),
            AccountsDecoder.AccountDecoder.reservedEncodingOffset(),
            AccountsDecoder.AccountDecoder.ledgerEncodingOffset(),
            AccountsDecoder.AccountDecoder.codeEncodingOffset(),
            AccountsDecoder.AccountDecoder.flagsEncodingOffset(),
            AccountsDecoder.AccountDecoder.timestampEncodingOffset(),
        };
        final int[] tigerBeetle = { 0, 16, 32, 48, 64, 80, 96, 104, 108, 112, 116, 118, 120 };

        assertArrayEquals(tigerBeetle, ingress);
        assertArrayEquals(tigerBeetle, egress);
    }

    @Test
    void shouldLayTransfersOutAsTigerBeetleDoes()
    {
        final int[] ingress = {
            CreateTransfersDecoder.TransfersDecoder.idEncodingOffset(),
            CreateTransfersDecoder.TransfersDecoder.debitAccountIdEncodingOffset(),
            CreateTransfersDecoder.TransfersDecoder.creditAccountIdEncodingOffset(),
            CreateTransfersDecoder.TransfersDecoder.amountEncodingOffset(),
            CreateTransfersDecoder.TransfersDecoder.pendingIdEncodingOffset(),
            CreateTransfersDecoder.TransfersDecoder.userData128EncodingOffset(),
            CreateTransfersDecoder.TransfersDecoder.userData64EncodingOffset(),
            CreateTransfersDecoder.TransfersDecoder.userData32EncodingOffset(),
            CreateTransfersDecoder.TransfersDecoder.timeoutSecondsEncodingOffset(),
            CreateTransfersDecoder.TransfersDecoder.ledgerEncodingOffset(),
            CreateTransfersDecoder.TransfersDecoder.codeEncodingOffset(),
            CreateTransfersDecoder.TransfersDecoder.flagsEncodingOffset(),
            CreateTransfersDecoder.TransfersDecoder.timestampEncodingOffset(),
        };
        final int[] egress = {
            TransfersDecoder.TransferDecoder.idEncodingOffset(),
            TransfersDecoder.TransferDecoder.debitAccountIdEncodingOffset(),
            TransfersDecoder.TransferDecoder.creditAccountIdEncodingOffset(),
            TransfersDecoder.TransferDecoder.amountEncodingOffset(),
            TransfersDecoder.TransferDecoder.pendingIdEncodingOffset(),
            TransfersDecoder.TransferDecoder.userData128EncodingOffset(),
            TransfersDecoder.TransferDecoder.userData64EncodingOffset(),
            TransfersDecoder.TransferDecoder.userData32EncodingOffset(),
            TransfersDecoder.TransferDecoder.timeoutSecondsEncodingOffset(),
            TransfersDecoder.TransferDecoder.ledgerEncodingOffset(),
            TransfersDecoder.TransferDecoder.codeEncodingOffset(),
            TransfersDecoder.TransferDecoder.flagsEncodingOffset(),
            TransfersDecoder.TransferDecoder.timestampEncodingOffset(),
        };
        final int[] tigerBeetle = { 0, 16, 32, 48, 64, 80, 96, 104, 108, 112, 116, 118, 120 };

        assertArrayEquals(tigerBeetle, ingress);
        assertArrayEquals(tigerBeetle, egress);
    }

    private static MessageLayout layout(final int templateId)
    {
        final MessageLayout[] layouts = templateId < FIRST_EGRESS_TEMPLATE_ID ?
            MessageLayout.byTemplateId(MessageLayout.INGRESS) : MessageLayout.byTemplateId(MessageLayout.EGRESS);

        return layouts[templateId];
    }

    private static Element schema() throws Exception
    {
        try (InputStream in = MessageLayoutTest.class.getResourceAsStream("/paycore-schema.xml"))
        {
            assertNotNull(in, "schema on the classpath");
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);

            return factory.newDocumentBuilder().parse(in).getDocumentElement();
        }
    }

    private static int children(final Element parent, final String tagName)
    {
        int count = 0;
        for (Node node = parent.getFirstChild(); null != node; node = node.getNextSibling())
        {
            if (node instanceof Element && tagName.equals(((Element)node).getTagName()))
            {
                count++;
            }
        }

        return count;
    }
}
