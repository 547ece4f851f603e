/**
 * {@code paycore clients}: managing the credentials file the service checks {@code Connect} against.
 */
package io.paycore.service.clients;
