/** The command line: {@code Main} and one class per command (serve, validate, simulate, diagram, import, report …). */
package io.callflow.cli;
