/**
 * paycore perf.
 */
package io.paycore.perf;
