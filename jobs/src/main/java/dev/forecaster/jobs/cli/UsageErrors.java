package dev.forecaster.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that reject bad settings themselves: {@link #usage} builds the exception
 * that {@link ForecasterCli} turns into one line on stderr and exit code 2.
 */
abstract class UsageErrors {

    @Spec CommandSpec spec;

    /** A misuse error for this command; also usable when the command was built without picocli (tests). */
    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec != null ? spec.commandLine() : new CommandLine(this), message);
    }
}
