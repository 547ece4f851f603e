package io.paycore.core.pipeline;

import org.agrona.DirectBuffer;

/**
 * Receives the answers the BLP produced, in order, on the egress thread.
 */
@FunctionalInterface
public interface OutputHandler
{
    /**
     * One answer for one session. The buffer is only valid during the call.
     *
     * @param sessionId the session the answer is for.
     * @param sequence  the journal sequence of the record it answers.
     * @param buffer    holding the SBE-encoded answer.
     * @param offset    of the answer.
     * @param length    of the answer.
     */
    void onOutput(long sessionId, long sequence, DirectBuffer buffer, int offset, int length);
}
