package dev.forecaster.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** Entry point of {@code bin/forecaster}. */
@Command(
        name = "forecaster",
        mixinStandardHelpOptions = true,
        version = "forecaster 0.1.0",
        description = "Streaming per-key recurrent-network forecasting on Flink and Kafka.",
        subcommands = {DemoCommand.class, RunCommand.class, BackfillCommand.class, GenerateCommand.class,
            AlertQualityCommand.class, EvaluateCommand.class,
            BenchCommand.class, TrainCommand.class, CommandLine.HelpCommand.class})
public final class ForecasterCli implements Runnable {

    static final int EXIT_USAGE = 2;

    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ForecasterCli());
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (try '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandSpec().qualifiedName() + ": error: " + rootMessage(ex));
            if (Boolean.getBoolean("forecaster.debug")) {
                ex.printStackTrace(err);
            }
            return 1;
        });
        return cli;
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == t ? message : message + " (" + root.getClass().getSimpleName() + ")";
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }
}
