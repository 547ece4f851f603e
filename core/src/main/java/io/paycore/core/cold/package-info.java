/**
 * Where transfers go when they leave the ledger's hot window: the cold tier on disk.
 */
package io.paycore.core.cold;
