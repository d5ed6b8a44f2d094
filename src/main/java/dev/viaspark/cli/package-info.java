/**
 * Command-line parsing shared by every command, in whichever module it lives: {@link CommandLine}
 * parses {@code --flag value} arguments against the flags a command accepts, {@link Flags} reads
 * numbers and sizes with errors that name the flag, and {@link UsageException} is bad usage (exit
 * status 1).
 */
package dev.viaspark.cli;
