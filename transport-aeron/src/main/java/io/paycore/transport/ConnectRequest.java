package io.paycore.transport;

import io.aeron.ExclusivePublication;
import io.paycore.codec.sbe.ConnectStatus;

/**
 * A {@code Connect} on its way from ingress to the {@link AuthenticatorAgent} and back. Ingress fills the request
 * fields and never touches the object while it is away; the authenticator fills the outcome fields. The queues
 * between them give the happens-before edges.
 */
final class ConnectRequest
{
    final Object session;
    final int imageSessionId;
    final long correlationId;
    final long clientId;
    final int responseStreamId;
    final String credential;
    final String responseChannel;
    final boolean needsPublication;

    /**
     * Set when the Connect came in a protocol version this service no longer serves: it is refused with this text,
     * without checking the credential.
     */
    String versionRefusal;
    ConnectStatus status;
    ExclusivePublication publication;
    String badChannelDetail;
    boolean unanswered;
    /**
     * Where the answers go, as compared between sessions: the medium, the endpoint's address resolved, the control
     * endpoint and the stream; null if no publication was opened.
     */
    String responseKey;

    ConnectRequest(
        final Object session,
        final int imageSessionId,
        final long correlationId,
        final long clientId,
        final int responseStreamId,
        final String credential,
        final String responseChannel,
        final boolean needsPublication)
    {
        this.session = session;
        this.imageSessionId = imageSessionId;
        this.correlationId = correlationId;
        this.clientId = clientId;
        this.responseStreamId = responseStreamId;
        this.credential = credential;
        this.responseChannel = responseChannel;
        this.needsPublication = needsPublication;
    }
}
