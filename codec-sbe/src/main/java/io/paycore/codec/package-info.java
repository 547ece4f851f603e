/**
 * paycore codec.
 */
package io.paycore.codec;
