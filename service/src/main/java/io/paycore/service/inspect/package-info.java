/**
 * {@code paycore errors} and {@code paycore stat}: reading a data directory's mark file and the media driver's
 * counters, while the service runs or after it stopped or died.
 */
package io.paycore.service.inspect;
