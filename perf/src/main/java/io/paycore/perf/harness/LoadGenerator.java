package io.paycore.perf.harness;

import io.aeron.Publication;
import io.paycore.service.pinning.ThreadPinning;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator: on a thread of its own ({@value #THREAD_NAME}), sends messages to a {@link LoadTarget}
 * at the times an {@link OpenLoopSchedule} sets, whatever the answers do, and polls the answers on the same thread
 * (a client is single threaded). Each message's latency is measured from its intended send time, so a stall of the
 * target, back-pressure or a late generator count against the result rather than hiding it.
 * <p>
 * When no message is due and no answer arrived, the thread yields; only when nothing is in flight and the next
 * message is more than {@value #PARK_THRESHOLD_MICROS} µs away does it park until just before it. It never spins, so
 * on a small machine it leaves the cores to the system under test as far as the schedule allows, and it never
 * sleeps while an answer may be waiting (an answer read late would be charged to the system under test).
 * <p>
 * The send/poll loop allocates nothing. A progress line, when asked for, is printed by the calling thread.
 */
public final class LoadGenerator
{
    /** Name of the generator's thread, for pinning. */
    public static final String THREAD_NAME = ThreadPinning.LOADGEN_THREAD_NAME;

    /** Most messages in flight at once. */
    public static final int IN_FLIGHT_CAPACITY = 1 << 20;

    static final long PARK_THRESHOLD_MICROS = 200;
    private static final long PARK_THRESHOLD_NANOS = TimeUnit.MICROSECONDS.toNanos(PARK_THRESHOLD_MICROS);
    private static final long PARK_MARGIN_NANOS = TimeUnit.MICROSECONDS.toNanos(120);
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long PROGRESS_INTERVAL_MS = 1000;

    private final LoadTarget target;
    private final LatencyRecorder recorder;
    private final Runnable onThreadStart;

    private volatile boolean stopRequested;
    private volatile int stage;
    private long backPressured;
    private long maxSendLagNanos;
    private long warmupBackPressured;
    private long warmupMaxSendLagNanos;
    private String failure;

    /**
     * @param target        where messages go.
     * @param onThreadStart run first on the generator's thread (to pin it), or null.
     */
    public LoadGenerator(final LoadTarget target, final Runnable onThreadStart)
    {
        this.target = target;
        this.recorder = new LatencyRecorder(IN_FLIGHT_CAPACITY);
        this.onThreadStart = onThreadStart;
    }

    /**
     * Run one phase: warm-up, then measurement, then wait for the answers of everything sent.
     *
     * @param ratePerSecond messages per second.
     * @param batch         events per message, for the report.
     * @param warmupNanos   warm-up; its messages are answered but not recorded.
     * @param measureNanos  measurement window.
     * @param drainNanos    longest wait for answers after the last message; what is still missing then is lost.
     * @param progress      where to print a progress line once a second, or null for none.
     * @return what the phase measured.
     * @throws InterruptedException if interrupted while waiting for the generator's thread.
     */
    public PhaseResult run(
        final long ratePerSecond,
        final int batch,
        final long warmupNanos,
        final long measureNanos,
        final long drainNanos,
        final PrintStream progress) throws InterruptedException
    {
        backPressured = 0;
        maxSendLagNanos = 0;
        warmupBackPressured = 0;
        warmupMaxSendLagNanos = 0;
        failure = null;
        stopRequested = false;
        stage = 0;
        final long startNanos = System.nanoTime() + START_DELAY_NANOS;
        final OpenLoopSchedule schedule = new OpenLoopSchedule(startNanos, ratePerSecond);
        final long measureFromNanos = startNanos + warmupNanos;
        final long endNanos = measureFromNanos + measureNanos;
        final Thread thread = new Thread(() -> loop(schedule, measureFromNanos, endNanos, drainNanos), THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
        if (null == progress)
        {
            thread.join();
        }
        else
        {
            while (thread.isAlive())
            {
                thread.join(PROGRESS_INTERVAL_MS);
                printProgress(progress, startNanos, warmupNanos, measureNanos);
            }
            progress.print("\r" + " ".repeat(100) + "\r");
            progress.flush();
        }

        final long lastAnswerNanos = recorder.lastMeasuredAnswerNanos();
        final long windowNanos = Math.max(measureNanos, lastAnswerNanos - measureFromNanos);
        final double achievedRate = recorder.measuredAnswered() * 1e9 / windowNanos;
        return new PhaseResult(
            target.name(),
            ratePerSecond,
            batch,
            target.messageLengthBytes(),
            measureNanos,
            recorder.histogram().copy(),
            recorder.measuredSent(),
            recorder.measuredAnswered(),
            recorder.rejected(),
            recorder.failedEvents(),
            recorder.unexpected(),
            backPressured,
            maxSendLagNanos,
            warmupBackPressured,
            warmupMaxSendLagNanos,
            achievedRate,
            failure);
    }

    /**
     * Ask a running phase to stop sending; it still waits for answers.
     */
    public void stop()
    {
        stopRequested = true;
    }

    private void printProgress(
        final PrintStream out, final long startNanos, final long warmupNanos, final long measureNanos)
    {
        final long elapsedNanos = System.nanoTime() - startNanos;
        final String what;
        if (elapsedNanos < warmupNanos)
        {
            what = String.format(Locale.ROOT, "warm-up %3d/%d s", elapsedNanos / 1_000_000_000L,
                warmupNanos / 1_000_000_000L);
        }
        else if (elapsedNanos < warmupNanos + measureNanos)
        {
            what = String.format(Locale.ROOT, "measure %3d/%d s", (elapsedNanos - warmupNanos) / 1_000_000_000L,
                measureNanos / 1_000_000_000L);
        }
        else
        {
            what = "draining        ";
        }
        final long sent = recorder.sentView();
        final long answered = recorder.answeredView();
        out.printf(Locale.ROOT, "\r%-8s %s  sent %,12d  answered %,12d  in flight %,8d", target.name(), what,
            sent, answered, sent - answered);
        out.flush();
    }

    private void loop(
        final OpenLoopSchedule schedule, final long measureFromNanos, final long endNanos, final long drainNanos)
    {
        try
        {
            if (null != onThreadStart)
            {
                onThreadStart.run();
            }
            sendAndPoll(schedule, measureFromNanos, endNanos, drainNanos);
        }
        catch (final RuntimeException ex)
        {
            failure = ex.toString();
        }
    }

    private void sendAndPoll(
        final OpenLoopSchedule schedule, final long measureFromNanos, final long endNanos, final long drainNanos)
    {
        final LoadTarget target = this.target;
        final LatencyRecorder recorder = this.recorder;
        recorder.measureFromNanos(measureFromNanos);
        long index = 0;
        long intendedNanos = schedule.intendedSendNanos(0);
        boolean sending = true;
        long drainDeadlineNanos = Long.MAX_VALUE;

        while (true)
        {
            int work = 0;
            long nowNanos = System.nanoTime();
            if (sending)
            {
                if (intendedNanos - endNanos >= 0 || stopRequested)
                {
                    sending = false;
                    drainDeadlineNanos = nowNanos + drainNanos;
                }
                else if (nowNanos - intendedNanos >= 0 && recorder.hasCapacity())
                {
                    final long correlationId = target.offer();
                    // Counted apart for the warm-up, whose first seconds (the JIT compiling, the first
                    // connections) lag far more than the measured window does.
                    final boolean measured = intendedNanos - measureFromNanos >= 0;
                    if (correlationId > 0)
                    {
                        recorder.onSent(correlationId, intendedNanos, nowNanos);
                        final long lagNanos = nowNanos - intendedNanos;
                        if (measured)
                        {
                            maxSendLagNanos = Math.max(maxSendLagNanos, lagNanos);
                        }
                        else
                        {
                            warmupMaxSendLagNanos = Math.max(warmupMaxSendLagNanos, lagNanos);
                        }
                        intendedNanos = schedule.intendedSendNanos(++index);
                        work++;
                    }
                    else if (Publication.BACK_PRESSURED == correlationId || Publication.ADMIN_ACTION == correlationId)
                    {
                        if (measured)
                        {
                            backPressured++;
                        }
                        else
                        {
                            warmupBackPressured++;
                        }
                    }
                    else
                    {
                        failure = "the " + target.name() + " connection went away: offer returned " +
                            Publication.errorString(correlationId);
                        sending = false;
                        drainDeadlineNanos = nowNanos + drainNanos;
                    }
                }
            }

            work += target.poll(recorder);

            if (!sending && (0 == recorder.inFlight() || nowNanos - drainDeadlineNanos >= 0))
            {
                return;
            }

            if (0 == work)
            {
                nowNanos = System.nanoTime();
                final long untilNextNanos = sending ? intendedNanos - nowNanos : 0;
                if (untilNextNanos > PARK_THRESHOLD_NANOS && 0 == recorder.inFlight())
                {
                    LockSupport.parkNanos(untilNextNanos - PARK_MARGIN_NANOS);
                }
                else
                {
                    Thread.yield();
                }
            }
        }
    }
}
