/**
 * paycore transport.
 */
package io.paycore.transport;
