package io.paycore.transport.client;

import io.paycore.codec.sbe.ConnectStatus;
import io.paycore.codec.sbe.RejectReason;

/**
 * A request of the blocking API, or a connect, that did not succeed: the service is not there, refused the
 * credential, rejected the request, did not answer in time, or disconnected the client.
 */
public final class PaycoreClientException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final ConnectStatus connectStatus;
    private final RejectReason rejectReason;

    /**
     * @param message what went wrong.
     */
    public PaycoreClientException(final String message)
    {
        this(message, null, null);
    }

    /**
     * @param message what went wrong.
     * @param cause   what it came from.
     */
    public PaycoreClientException(final String message, final Throwable cause)
    {
        super(message, cause);
        this.connectStatus = null;
        this.rejectReason = null;
    }

    /**
     * @param message       what went wrong.
     * @param connectStatus the service's answer to {@code Connect}, or null.
     * @param rejectReason  the reason of a {@code Rejected}, or null.
     */
    public PaycoreClientException(
        final String message, final ConnectStatus connectStatus, final RejectReason rejectReason)
    {
        super(message);
        this.connectStatus = connectStatus;
        this.rejectReason = rejectReason;
    }

    /**
     * @return the status the service refused the connect with, or null when it did not refuse it.
     */
    public ConnectStatus connectStatus()
    {
        return connectStatus;
    }

    /**
     * @return the reason the service rejected the request with, or null when it did not reject it. A request
     * rejected {@link RejectReason#UNAVAILABLE} has an unknown outcome: the service may still apply it when it
     * restarts, so send it again with the same ids (what it applied answers {@code EXISTS}).
     */
    public RejectReason rejectReason()
    {
        return rejectReason;
    }
}
