/**
 * The paycore client library: {@link io.paycore.transport.client.PaycoreClient} connects to a paycore service over
 * Aeron with a client id and secret, sends batches of account and transfer events and lookups, and receives the
 * answers, either through a zero-allocation callback API ({@link io.paycore.transport.client.EgressListener}) or a
 * simple blocking one.
 */
package io.paycore.transport.client;
