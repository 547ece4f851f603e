/**
 * paycore core.
 */
package io.paycore.core;
