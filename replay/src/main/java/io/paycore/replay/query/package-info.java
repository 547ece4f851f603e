/**
 * History queries off the service: TigerBeetle's get_account_transfers, get_account_balances, query_accounts and
 * query_transfers, answered from indexes built while following the journal.
 */
package io.paycore.replay.query;
