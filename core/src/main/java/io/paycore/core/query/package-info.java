/**
 * The filters of TigerBeetle's history queries, shared by the query engine and the client.
 */
package io.paycore.core.query;
