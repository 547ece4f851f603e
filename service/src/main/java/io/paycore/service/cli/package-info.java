/**
 * Pieces the {@code paycore} commands share: option groups ({@code @Mixin}s) and converters that turn an option's
 * text into its typed value, so a bad value is refused by the parser with the option's name.
 */
package io.paycore.service.cli;
