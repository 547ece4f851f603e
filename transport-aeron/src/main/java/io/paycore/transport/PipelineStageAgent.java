package io.paycore.transport;

import io.paycore.core.pipeline.Pipeline;
import org.agrona.concurrent.Agent;

/**
 * The pipeline's stages (journal, then apply) as a duty cycle, for the {@link io.paycore.core.pipeline.StageLayout#INLINE
 * inline} layout: in the {@code shared} profile it runs between ingress and egress on their one thread, so a message
 * is taken in, journaled, applied and answered in one pass.
 */
final class PipelineStageAgent implements Agent
{
    private final Pipeline pipeline;

    PipelineStageAgent(final Pipeline pipeline)
    {
        this.pipeline = pipeline;
    }

    public int doWork()
    {
        return pipeline.doStageWork();
    }

    public String roleName()
    {
        return "paycore-stages";
    }
}
