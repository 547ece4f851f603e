package io.paycore.service.serve;

import io.paycore.replay.PaycoreMarkFile;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

import java.util.function.Supplier;

/**
 * The service's health watcher, run by an {@link org.agrona.concurrent.AgentRunner} with a sleeping idle strategy:
 * each duty cycle it refreshes the mark file's activity timestamp and the service's own counters, and says once (to
 * the error handler) why the pipeline failed, if it did, while the transport answers every further request
 * {@code Rejected}.
 * <p>
 * <b>Threading</b>: {@link #doWork()} on the agent's thread only; {@link #onDutyCycle(Runnable)} from any.
 */
final class HealthAgent implements Agent
{
    /**
     * Name of the agent, and so of its thread.
     */
    static final String ROLE_NAME = "paycore-health";

    private final Supplier<Throwable> pipelineFailure;
    private final PaycoreMarkFile markFile;
    private final ErrorHandler errorHandler;
    private final EpochClock clock;
    private volatile Runnable onDutyCycle;
    private boolean failureReported;

    /**
     * @param pipelineFailure gives the pipeline's failure, or null while it is healthy.
     * @param markFile        whose activity timestamp each duty cycle refreshes.
     * @param errorHandler    told once of a pipeline failure.
     * @param clock           for the activity timestamp.
     */
    HealthAgent(
        final Supplier<Throwable> pipelineFailure,
        final PaycoreMarkFile markFile,
        final ErrorHandler errorHandler,
        final EpochClock clock)
    {
        this.pipelineFailure = pipelineFailure;
        this.markFile = markFile;
        this.errorHandler = errorHandler;
        this.clock = clock;
    }

    /**
     * @param onDutyCycle run on the agent's thread every duty cycle (counters to refresh), or null for nothing.
     */
    void onDutyCycle(final Runnable onDutyCycle)
    {
        this.onDutyCycle = onDutyCycle;
    }

    /**
     * {@inheritDoc}
     */
    public int doWork()
    {
        markFile.updateActivityTimestamp(clock.time());
        final Runnable dutyCycle = onDutyCycle;
        if (null != dutyCycle)
        {
            dutyCycle.run();
        }
        int workCount = 0;
        if (!failureReported)
        {
            final Throwable failure = pipelineFailure.get();
            if (null != failure)
            {
                failureReported = true;
                workCount++;
                errorHandler.onError(new IllegalStateException(
                    "the pipeline failed and every request is now rejected; stop the service, fix the cause and " +
                    "restart: " + failure, failure));
            }
        }
        return workCount;
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return ROLE_NAME;
    }
}
