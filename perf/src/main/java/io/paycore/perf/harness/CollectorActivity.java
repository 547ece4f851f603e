package io.paycore.perf.harness;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * What this JVM's garbage collectors did since a moment: how many collections each ran and how long they took. A
 * benchmark that runs the service in its own process prints it beside a phase's latency, since a pause of the
 * process pauses the service as well, whoever's allocation caused it.
 */
public final class CollectorActivity
{
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final long[] counts = new long[collectors.size()];
    private final long[] millis = new long[collectors.size()];

    private CollectorActivity()
    {
        for (int i = 0; i < counts.length; i++)
        {
            counts[i] = Math.max(0, collectors.get(i).getCollectionCount());
            millis[i] = Math.max(0, collectors.get(i).getCollectionTime());
        }
    }

    /**
     * @return the collectors' counts and times now, to compare with later.
     */
    public static CollectorActivity now()
    {
        return new CollectorActivity();
    }

    /**
     * @return each collector that ran since {@link #now()}, with its collections and their time, for example
     * {@code PS Scavenge 3 (12 ms), PS MarkSweep 1 (498 ms)}; {@code none} when none ran.
     */
    public String since()
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < counts.length; i++)
        {
            final GarbageCollectorMXBean collector = collectors.get(i);
            final long count = Math.max(0, collector.getCollectionCount()) - counts[i];
            if (count > 0)
            {
                text.append(text.length() > 0 ? ", " : "").append(String.format(Locale.ROOT, "%s %,d (%,d ms)",
                    collector.getName(), count, Math.max(0, collector.getCollectionTime()) - millis[i]));
            }
        }
        return text.length() > 0 ? text.toString() : "none";
    }
}
