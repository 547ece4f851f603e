package io.paycore.perf.harness;

import java.util.List;
import java.util.Locale;

/**
 * A minimal JSON writer for the benchmark summary: objects, string, number, boolean and string-array fields,
 * indented. Not for the hot path; not thread safe.
 */
final class Json
{
    private final StringBuilder out = new StringBuilder();
    private int depth;
    private boolean first = true;

    void open()
    {
        out.append('{');
        depth++;
        first = true;
    }

    void end()
    {
        depth--;
        out.append('\n').append("}\n");
    }

    void object(final String name)
    {
        key(name);
        out.append('{');
        depth++;
        first = true;
    }

    void close()
    {
        depth--;
        newline();
        out.append('}');
        first = false;
    }

    void field(final String name, final String value)
    {
        key(name);
        string(value);
    }

    void field(final String name, final long value)
    {
        key(name);
        out.append(value);
    }

    void field(final String name, final double value)
    {
        key(name);
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            out.append("null");
        }
        else
        {
            out.append(String.format(Locale.ROOT, "%.3f", value));
        }
    }

    void field(final String name, final boolean value)
    {
        key(name);
        out.append(value);
    }

    void array(final String name, final List<String> values)
    {
        key(name);
        out.append('[');
        for (int i = 0; i < values.size(); i++)
        {
            out.append(i == 0 ? "" : ", ");
            string(values.get(i));
        }
        out.append(']');
    }

    private void key(final String name)
    {
        if (!first)
        {
            out.append(',');
        }
        first = false;
        newline();
        string(name);
        out.append(": ");
    }

    private void newline()
    {
        out.append('\n');
        for (int i = 0; i < depth; i++)
        {
            out.append("  ");
        }
    }

    private void string(final String value)
    {
        if (null == value)
        {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    public String toString()
    {
        return out.toString();
    }
}
