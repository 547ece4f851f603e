package io.paycore.codec;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageLayoutTest
{
    private static final int FIRST_EGRESS_TEMPLATE_ID = 101;

    @Test
    void shouldDescribeEveryMessageOfTheSchemaWithItsShape() throws Exception
    {
        final MessageLayout[] ingress = MessageLayout.byTemplateId(MessageLayout.INGRESS);
        final MessageLayout[] egress = MessageLayout.byTemplateId(MessageLayout.EGRESS);
        final NodeList messages = schema().getElementsByTagName("sbe:message");
        int described = 0;

        for (int i = 0; i < messages.getLength(); i++)
        {
            final Element message = (Element)messages.item(i);
            final int templateId = Integer.parseInt(message.getAttribute("id"));
            final MessageLayout[] side = templateId < FIRST_EGRESS_TEMPLATE_ID ? ingress : egress;
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

        assertEquals(MessageLayout.INGRESS.length + MessageLayout.EGRESS.length, described);
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
