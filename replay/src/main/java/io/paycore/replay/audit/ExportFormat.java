package io.paycore.replay.audit;

import java.util.Locale;

/**
 * File formats of an audit export ({@link EventExporter}).
 */
public enum ExportFormat
{
    /**
     * Comma-separated values, one header line then one line per event; see {@link EventExporter} for the columns.
     */
    CSV,

    /**
     * JSON Lines: one JSON object per event and line; see {@link EventExporter} for the keys.
     */
    JSONL;

    /**
     * Parse a format name, case-insensitively.
     *
     * @param name {@code csv} or {@code jsonl}.
     * @return the format.
     * @throws IllegalArgumentException naming the accepted values if the name is not one of them.
     */
    public static ExportFormat parse(final String name)
    {
        switch (null == name ? "" : name.toLowerCase(Locale.ROOT))
        {
            case "csv":
                return CSV;
            case "jsonl":
                return JSONL;
            default:
                throw new IllegalArgumentException("export format must be csv or jsonl: " + name);
        }
    }
}
