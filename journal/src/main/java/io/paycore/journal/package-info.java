/**
 * paycore journal.
 */
package io.paycore.journal;
