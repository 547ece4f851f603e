/**
 * The change feed's commands: {@code paycore feed} prints it, and the publishers that send it on to brokers run
 * beside the service, reading its journal.
 */
package io.paycore.service.feed;
