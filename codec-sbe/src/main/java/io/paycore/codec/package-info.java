/**
 * The paycore wire protocol: the codecs generated from {@code paycore-schema.xml} (package
 * {@code io.paycore.codec.sbe}, generated at build time, never committed), the protocol's hard limits
 * ({@link io.paycore.codec.ProtocolLimits}) and the {@link io.paycore.codec.FrameValidator} that checks a frame before
 * anything decodes it, answering a {@link io.paycore.codec.sbe.RejectReason} when it is malformed.
 */
package io.paycore.codec;
