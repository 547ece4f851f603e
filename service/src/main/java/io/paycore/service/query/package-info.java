/**
 * History queries off the service: {@code paycore query-server} and its agent.
 */
package io.paycore.service.query;
