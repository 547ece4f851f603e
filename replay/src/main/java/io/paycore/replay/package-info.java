/**
 * paycore replay.
 */
package io.paycore.replay;
