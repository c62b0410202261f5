package dev.forecaster.jobs.cli;

/**
 * Main class of the job jar for {@code flink run}: the same arguments as {@code forecaster run}.
 */
public final class ForecastJobMain {

    private ForecastJobMain() {}

    public static void main(String[] args) {
        String[] withCommand = new String[args.length + 1];
        withCommand[0] = "run";
        System.arraycopy(args, 0, withCommand, 1, args.length);
        int code = ForecasterCli.execute(withCommand);
        if (code != 0) {
            System.exit(code);
        }
    }
}
