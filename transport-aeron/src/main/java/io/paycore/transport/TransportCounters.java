package io.paycore.transport;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.driver.status.DutyCycleStallTracker;
import io.paycore.codec.sbe.RejectReason;
import org.agrona.CloseHelper;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The service's Aeron counters, in the driver's counters file so that Aeron's {@code AeronStat} shows them next to
 * the driver's own. Each counter has one writer thread, named on its accessor; any thread may read.
 */
public final class TransportCounters implements AutoCloseable
{
    /** Type id of the messages-in counter. */
    public static final int MESSAGES_IN_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE;
    /** Type id of the rejected-by-reason counters. */
    public static final int REJECTED_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 1;
    /** Type id of the dropped-unauthenticated counter. */
    public static final int DROPPED_UNAUTHENTICATED_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 2;
    /** Type id of the journal durable sequence counter. */
    public static final int DURABLE_SEQUENCE_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 3;
    /** Type id of the BLP processed sequence counter. */
    public static final int PROCESSED_SEQUENCE_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 4;
    /** Type id of the clients-connected counter. */
    public static final int CLIENTS_CONNECTED_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 5;
    /** Type id of the back-pressure disconnects counter. */
    public static final int BACK_PRESSURE_DISCONNECTS_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 6;
    /** Type id of the refused-connects counter. */
    public static final int CONNECTS_REFUSED_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 7;
    /** Type id of the dropped-answers counter. */
    public static final int ANSWERS_DROPPED_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 8;
    /** Type id of the ticks counter. */
    public static final int TICKS_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 9;
    /** Type id of the count of refused Connects left unanswered past the refusal reply rate. */
    public static final int REFUSALS_UNANSWERED_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 10;
    /** Type id of the input ring occupancy (records the stages have not yet taken). */
    public static final int INPUT_RING_OCCUPANCY_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 11;
    /** Type id of the output ring occupancy (answers egress has not yet taken). */
    public static final int OUTPUT_RING_OCCUPANCY_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 12;
    /** Type id of the count of journal segment rolls. */
    public static final int SEGMENT_ROLLS_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 13;
    /** Type id of a transport thread's longest duty cycle, in nanoseconds. */
    public static final int DUTY_CYCLE_MAX_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 14;
    /** Type id of the count of a transport thread's duty cycles over the stall threshold. */
    public static final int DUTY_CYCLE_STALLS_TYPE_ID = TransportContext.COUNTER_TYPE_ID_BASE + 15;
    /** A transport duty cycle longer than this, idling included, counts as a stall. */
    public static final long DUTY_CYCLE_STALL_THRESHOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Counter messagesIn;
    private final Counter[] rejected;
    private final Counter droppedUnauthenticated;
    private final Counter durableSequence;
    private final Counter processedSequence;
    private final Counter clientsConnected;
    private final Counter backPressureDisconnects;
    private final Counter connectsRefused;
    private final Counter answersDropped;
    private final Counter ticks;
    private final Counter refusalsUnanswered;
    private final Counter inputRingOccupancy;
    private final Counter outputRingOccupancy;
    private final Counter segmentRolls;
    private final ArrayList<Counter> dutyCycleCounters = new ArrayList<>();
    private final Aeron aeron;

    TransportCounters(final Aeron aeron)
    {
        this.aeron = aeron;
        messagesIn = aeron.addCounter(MESSAGES_IN_TYPE_ID, "paycore: ingress messages in");
        final RejectReason[] reasons = RejectReason.values();
        rejected = new Counter[maxReasonValue(reasons) + 1];
        for (final RejectReason reason : reasons)
        {
            if (RejectReason.NULL_VAL != reason)
            {
                rejected[reason.value()] = aeron.addCounter(REJECTED_TYPE_ID, "paycore: rejected " + reason.name());
            }
        }
        droppedUnauthenticated = aeron.addCounter(
            DROPPED_UNAUTHENTICATED_TYPE_ID, "paycore: dropped from unauthenticated sessions");
        durableSequence = aeron.addCounter(DURABLE_SEQUENCE_TYPE_ID, "paycore: journal durable sequence");
        processedSequence = aeron.addCounter(PROCESSED_SEQUENCE_TYPE_ID, "paycore: BLP processed sequence");
        clientsConnected = aeron.addCounter(CLIENTS_CONNECTED_TYPE_ID, "paycore: clients connected");
        backPressureDisconnects = aeron.addCounter(
            BACK_PRESSURE_DISCONNECTS_TYPE_ID, "paycore: clients disconnected for egress back-pressure");
        connectsRefused = aeron.addCounter(CONNECTS_REFUSED_TYPE_ID, "paycore: connects refused");
        answersDropped = aeron.addCounter(ANSWERS_DROPPED_TYPE_ID, "paycore: answers dropped for sessions gone");
        ticks = aeron.addCounter(TICKS_TYPE_ID, "paycore: ticks journaled");
        refusalsUnanswered = aeron.addCounter(
            REFUSALS_UNANSWERED_TYPE_ID, "paycore: connects refused without an answer (refusal reply rate)");
        inputRingOccupancy = aeron.addCounter(INPUT_RING_OCCUPANCY_TYPE_ID, "paycore: input ring occupancy");
        outputRingOccupancy = aeron.addCounter(OUTPUT_RING_OCCUPANCY_TYPE_ID, "paycore: output ring occupancy");
        segmentRolls = aeron.addCounter(SEGMENT_ROLLS_TYPE_ID, "paycore: journal segment rolls");
    }

    /**
     * @return frames read from the ingress subscription, valid or not. Written by ingress.
     */
    public Counter messagesIn()
    {
        return messagesIn;
    }

    /**
     * @param reason a reason.
     * @return frames answered with {@code Rejected} for this reason by ingress. Written by ingress.
     */
    public Counter rejected(final RejectReason reason)
    {
        return rejected[reason.value()];
    }

    /**
     * @return frames from sessions that never sent a {@code Connect} with a usable response channel, or that were
     * disconnected, dropped without an answer. Written by ingress.
     */
    public Counter droppedUnauthenticated()
    {
        return droppedUnauthenticated;
    }

    /**
     * @return the journal's durable sequence. Written by egress.
     */
    public Counter durableSequence()
    {
        return durableSequence;
    }

    /**
     * @return the sequence of the last record the BLP applied. Written by egress.
     */
    public Counter processedSequence()
    {
        return processedSequence;
    }

    /**
     * @return authenticated sessions now. Written by ingress.
     */
    public Counter clientsConnected()
    {
        return clientsConnected;
    }

    /**
     * @return sessions disconnected because their egress stayed back-pressured past the bounds. Written by egress.
     */
    public Counter backPressureDisconnects()
    {
        return backPressureDisconnects;
    }

    /**
     * @return Connects answered with a status other than OK, or dropped because their response channel could not
     * be opened or the session limit was reached. Written by ingress.
     */
    public Counter connectsRefused()
    {
        return connectsRefused;
    }

    /**
     * @return answers dropped because their session had gone or was disconnected, each answer it still held back
     * included. Written by egress.
     */
    public Counter answersDropped()
    {
        return answersDropped;
    }

    /**
     * @return ticks journaled by ingress. Written by ingress.
     */
    public Counter ticks()
    {
        return ticks;
    }

    /**
     * @return refused Connects not answered because refusals came faster than
     * {@link TransportContext#refusalRepliesPerSecond()}. Written by ingress.
     */
    public Counter refusalsUnanswered()
    {
        return refusalsUnanswered;
    }

    /**
     * @return records on the input ring the stages have not yet taken, as egress last saw it. Written by egress.
     */
    public Counter inputRingOccupancy()
    {
        return inputRingOccupancy;
    }

    /**
     * @return answers on the output ring egress has not yet taken, as egress last saw it. Written by egress.
     */
    public Counter outputRingOccupancy()
    {
        return outputRingOccupancy;
    }

    /**
     * @return journal segment rolls since start. Written by egress.
     */
    public Counter segmentRolls()
    {
        return segmentRolls;
    }

    /**
     * Counters for one thread's duty cycles: its longest cycle and the cycles over
     * {@link #DUTY_CYCLE_STALL_THRESHOLD_NANOS}. Called while the transport starts.
     *
     * @param role the thread's role name.
     * @return a tracker writing to them.
     */
    DutyCycleStallTracker dutyCycleTracker(final String role)
    {
        final Counter max = aeron.addCounter(DUTY_CYCLE_MAX_TYPE_ID, "paycore: duty cycle max (ns): " + role);
        final Counter stalls = aeron.addCounter(DUTY_CYCLE_STALLS_TYPE_ID, "paycore: duty cycles over " +
            TimeUnit.NANOSECONDS.toMillis(DUTY_CYCLE_STALL_THRESHOLD_NANOS) + " ms: " + role);
        dutyCycleCounters.add(max);
        dutyCycleCounters.add(stalls);
        return new DutyCycleStallTracker(max, stalls, DUTY_CYCLE_STALL_THRESHOLD_NANOS);
    }

    /**
     * Free the counters. Closing twice is safe.
     */
    public void close()
    {
        CloseHelper.closeAll(messagesIn, refusalsUnanswered, inputRingOccupancy, outputRingOccupancy, segmentRolls, droppedUnauthenticated, durableSequence, processedSequence,
            clientsConnected, backPressureDisconnects, connectsRefused, answersDropped, ticks);
        CloseHelper.closeAll(rejected);
        CloseHelper.closeAll(dutyCycleCounters);
    }

    private static int maxReasonValue(final RejectReason[] reasons)
    {
        int max = 0;
        for (final RejectReason reason : reasons)
        {
            if (RejectReason.NULL_VAL != reason)
            {
                max = Math.max(max, reason.value());
            }
        }
        return max;
    }
}
