/**
 * The {@code paycore} command line and the wiring of the modules into a running program.
 */
package io.paycore.service;
