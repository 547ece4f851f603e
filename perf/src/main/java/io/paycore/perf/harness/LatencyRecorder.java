package io.paycore.perf.harness;

import org.HdrHistogram.Histogram;

/**
 * Matches answers to the messages they answer, by correlation id, and records each measured message's latency from
 * its <em>intended</em> send time ({@link OpenLoopSchedule}) to the arrival of its answer into an HdrHistogram.
 * <p>
 * The intended times of messages in flight are kept in a preallocated array indexed by correlation id modulo its
 * capacity, so correlation ids must increase by one per message and at most {@link #capacity()} may be in flight.
 * A message still unanswered when its slot comes round again, {@link #capacity()} messages later, is given up: it
 * stays unanswered (lost, if measured), no longer counts as in flight, and an answer to it that comes later matches
 * nothing.
 * Only messages intended at or after {@link #measureFromNanos(long)} are recorded: the warm-up's are answered and
 * forgotten.
 * <p>
 * Not thread safe: one thread (the load generator) sends and polls. Recording allocates nothing; the counters are
 * published with release semantics for a progress reader on another thread.
 * <p>
 * Warm-up messages go through exactly the same code as measured ones (into a warm-up histogram and counters picked
 * by index, not by a branch), so that the JIT does not recompile the load generator's loop, on a branch it has never
 * seen taken, at the very moment measurement starts: that stall would be charged to whatever is being measured.
 */
public final class LatencyRecorder
{
    /**
     * Highest latency the histograms track, in nanoseconds: 60 s. Longer latencies are recorded as this.
     */
    public static final long HIGHEST_TRACKABLE_NANOS = 60_000_000_000L;

    /**
     * Significant decimal digits of every histogram (resolution about 0.1 %).
     */
    public static final int SIGNIFICANT_DIGITS = 3;

    private static final long FREE = Long.MIN_VALUE;

    private static final int MEASURED = 0;
    private static final int WARM_UP = 1;

    private final Histogram[] histograms = { newHistogram(), newHistogram() };
    private final long[] sentByPhase = new long[2];
    private final long[] answeredByPhase = new long[2];
    private final long[] failedEventsByPhase = new long[2];
    private final long[] firstSendNanosByPhase = { Long.MAX_VALUE, Long.MAX_VALUE };
    private final long[] lastAnswerNanosByPhase = new long[2];
    private final long[] intendedNanosBySlot;
    private final long[] correlationIdBySlot;
    private final int mask;
    private long measureFromNanos = Long.MIN_VALUE;

    private long sent;
    private long answered;
    private long abandoned;
    private long rejected;
    private long unexpected;
    private volatile long sentView;
    private volatile long answeredView;

    /**
     * @param capacity most messages in flight; rounded up to a power of two.
     */
    public LatencyRecorder(final int capacity)
    {
        if (capacity < 1 || capacity > 1 << 24)
        {
            throw new IllegalArgumentException("capacity must be 1.." + (1 << 24) + ": " + capacity);
        }
        final int slots = Integer.highestOneBit(capacity - 1 == 0 ? 1 : (capacity - 1)) << 1;
        intendedNanosBySlot = new long[slots];
        correlationIdBySlot = new long[slots];
        java.util.Arrays.fill(correlationIdBySlot, FREE);
        mask = slots - 1;
    }

    /**
     * @return a histogram with the settings every run uses, so that paycore and the baseline are comparable.
     */
    public static Histogram newHistogram()
    {
        return new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    }

    /**
     * @return most messages in flight.
     */
    public int capacity()
    {
        return mask + 1;
    }

    /**
     * Record only messages intended at or after this time; also clears the histogram and the measured counts.
     *
     * @param measureFromNanos start of the measurement window, {@link System#nanoTime()} terms.
     */
    public void measureFromNanos(final long measureFromNanos)
    {
        this.measureFromNanos = measureFromNanos;
        for (int phase = MEASURED; phase <= WARM_UP; phase++)
        {
            histograms[phase].reset();
            sentByPhase[phase] = 0;
            answeredByPhase[phase] = 0;
            failedEventsByPhase[phase] = 0;
            firstSendNanosByPhase[phase] = Long.MAX_VALUE;
            lastAnswerNanosByPhase[phase] = 0;
        }
        rejected = 0;
        unexpected = 0;
    }

    /**
     * @return true when another message can be sent without overwriting one in flight.
     */
    public boolean hasCapacity()
    {
        return inFlight() < mask + 1;
    }

    /**
     * A message was sent.
     *
     * @param correlationId  its correlation id: one more than the previous message's.
     * @param intendedNanos  when it was meant to be sent.
     * @param actualNanos    when it was sent.
     * @throws IllegalStateException if {@link #capacity()} messages are in flight already, or the slot is taken by a
     * message sent after this one (correlation ids that do not increase).
     */
    public void onSent(final long correlationId, final long intendedNanos, final long actualNanos)
    {
        final int slot = (int)correlationId & mask;
        final long occupant = correlationIdBySlot[slot];
        if (FREE != occupant)
        {
            if (!hasCapacity())
            {
                throw new IllegalStateException("more than " + capacity() + " messages in flight");
            }
            if (occupant - correlationId >= 0)
            {
                throw new IllegalStateException("correlation id " + correlationId + " sent after " + occupant);
            }
            // Sent at least capacity messages ago and never answered: give it up.
            abandoned++;
        }
        correlationIdBySlot[slot] = correlationId;
        intendedNanosBySlot[slot] = intendedNanos;
        final int phase = phase(intendedNanos);
        sentByPhase[phase]++;
        firstSendNanosByPhase[phase] = Math.min(firstSendNanosByPhase[phase], actualNanos);
        sentView = ++sent;
    }

    /**
     * An answer arrived.
     *
     * @param correlationId of the message it answers.
     * @param arrivalNanos  when it arrived.
     * @param failedEvents  events in it that did not succeed (0 for an echo).
     * @return the latency recorded in nanoseconds, or -1 if the answer was not recorded (warm-up, or unexpected).
     */
    public long onAnswer(final long correlationId, final long arrivalNanos, final int failedEvents)
    {
        final int slot = (int)correlationId & mask;
        if (correlationIdBySlot[slot] != correlationId)
        {
            unexpected++;
            return -1;
        }
        correlationIdBySlot[slot] = FREE;
        answeredView = ++answered;
        final long intendedNanos = intendedNanosBySlot[slot];
        final int phase = phase(intendedNanos);
        final long latencyNanos = Math.min(Math.max(arrivalNanos - intendedNanos, 0), HIGHEST_TRACKABLE_NANOS);
        histograms[phase].recordValue(latencyNanos);
        answeredByPhase[phase]++;
        failedEventsByPhase[phase] += failedEvents;
        lastAnswerNanosByPhase[phase] = arrivalNanos;

        return latencyNanos | -(long)phase;
    }

    /**
     * @return {@link #MEASURED} for a message intended at or after the start of measurement, {@link #WARM_UP}
     * before it; computed without a branch.
     */
    private int phase(final long intendedNanos)
    {
        return (int)((intendedNanos - measureFromNanos) >>> 63);
    }

    /**
     * A {@code Rejected} answer arrived: counted as answered (its latency is recorded) and as rejected.
     *
     * @param correlationId of the message it answers.
     * @param arrivalNanos  when it arrived.
     */
    public void onRejected(final long correlationId, final long arrivalNanos)
    {
        if (onAnswer(correlationId, arrivalNanos, 0) >= 0)
        {
            rejected++;
        }
    }

    /** @return the latencies of the measured messages, in nanoseconds. Read after the run. */
    public Histogram histogram()
    {
        return histograms[MEASURED];
    }

    /** @return messages sent in all. */
    public long sent()
    {
        return sent;
    }

    /** @return messages answered in all. */
    public long answered()
    {
        return answered;
    }

    /** @return messages sent and not yet answered, leaving out those given up. */
    public long inFlight()
    {
        return sent - answered - abandoned;
    }

    /** @return messages sent in all, readable from any thread. */
    public long sentView()
    {
        return sentView;
    }

    /** @return messages answered in all, readable from any thread. */
    public long answeredView()
    {
        return answeredView;
    }

    /** @return measured messages sent. */
    public long measuredSent()
    {
        return sentByPhase[MEASURED];
    }

    /** @return measured messages answered. */
    public long measuredAnswered()
    {
        return answeredByPhase[MEASURED];
    }

    /** @return measured messages answered {@code Rejected}. */
    public long rejected()
    {
        return rejected;
    }

    /** @return answers whose correlation id matched no message in flight. */
    public long unexpected()
    {
        return unexpected;
    }

    /** @return events in measured answers that did not succeed. */
    public long failedEvents()
    {
        return failedEventsByPhase[MEASURED];
    }

    /** @return when the first measured message was actually sent, or 0. */
    public long firstMeasuredSendNanos()
    {
        return Long.MAX_VALUE == firstSendNanosByPhase[MEASURED] ? 0 : firstSendNanosByPhase[MEASURED];
    }

    /** @return when the last measured answer arrived, or 0. */
    public long lastMeasuredAnswerNanos()
    {
        return lastAnswerNanosByPhase[MEASURED];
    }
}
