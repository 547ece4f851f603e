/**
 * {@code paycore audit}: the command line of the offline auditor in {@code io.paycore.replay.audit}.
 * {@link io.paycore.service.audit.AuditCommand} parses the options, runs the audit read only, prints the report and
 * exits with a status that says what was found.
 */
package io.paycore.service.audit;
