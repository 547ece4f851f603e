/**
 * paycore service.
 */
package io.paycore.service;
