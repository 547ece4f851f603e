/**
 * The paycore service's Aeron transport: {@link io.paycore.transport.PaycoreServer} runs the media driver (embedded
 * or external), reads client frames on the ingress channel, feeds them to the
 * {@link io.paycore.core.pipeline.Pipeline} and sends the answers back on each client's response channel.
 * <h2>Sessions</h2>
 * Each Aeron image on the ingress subscription (one client publication) is a session. A session becomes
 * authenticated with {@code Connect} (client id and secret checked against {@link
 * io.paycore.transport.ClientCredentials}; response channel and stream opened); until then nothing it sends is
 * journaled: it is answered {@code Rejected(NOT_CONNECTED)} when a failed {@code Connect} gave it a response
 * channel, else dropped and counted. Every frame is checked by {@link io.paycore.codec.FrameValidator}; a malformed
 * one is answered {@code Rejected} with the reason and never journaled. A session ends when its image goes, or when
 * egress disconnects it for back-pressure.
 * <h2>Back-pressure</h2>
 * Ingress stops reading (aborts the fragment, to read it again later) while the pipeline's input ring is full, so
 * Aeron pushes back on the senders and nothing is lost. Egress never waits for a client: a back-pressured client's
 * answers wait in a per-client backlog bounded in bytes ({@link
 * io.paycore.transport.TransportContext#egressBacklogLength()}) and time without progress ({@link
 * io.paycore.transport.TransportContext#egressBackPressureTimeoutNanos()}); past either the client is disconnected and
 * counted. Its results stay in the journal and can be looked up after reconnecting.
 * <h2>Threads</h2>
 * Shared profile: ingress and egress on one thread ({@link org.agrona.concurrent.CompositeAgent}), driver in SHARED
 * mode. Dedicated profile: ingress and egress on a thread each, busy spinning, driver DEDICATED. Either way an
 * authenticator thread does the slow part of {@code Connect}. Sessions pass from ingress to egress, and
 * disconnections back, through Agrona's one-to-one queues; ingress's own replies travel to egress on a one-to-one
 * ring buffer; no locks, no allocation on the message path.
 * <h2>Counters</h2>
 * {@link io.paycore.transport.TransportCounters}, in the media driver's counters file: readable with Aeron's
 * {@code AeronStat}.
 */
package io.paycore.transport;
