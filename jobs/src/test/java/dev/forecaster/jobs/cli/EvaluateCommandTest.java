package dev.forecaster.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

class EvaluateCommandTest {

    @TempDir Path dir;

    private Path csv(int rows) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("date,OT");
        LocalDateTime t = LocalDateTime.of(2016, 7, 1, 0, 0);
        for (int i = 0; i < rows; i++) {
            lines.add(t.plusHours(i).toString().replace('T', ' ') + ":00," + (20 + 5 * Math.sin(i * Math.PI / 12) + 0.3 * Math.sin(i)));
        }
        Path file = dir.resolve("series.csv");
        Files.write(file, lines);
        return file;
    }

    @Test
    void helpDescribesTheOptions() {
        CliRun r = CliRun.of("evaluate", "--help");
        assertEquals(0, r.code());
        for (String option : new String[] {"--csv", "--horizons", "--models", "--mode", "--forecasts-out", "--retrain-every",
                "--hidden", "--layers", "--window", "--iterations", "gru", "irnn", "--calendar", "--calendar-zone",
                "hour_of_day", "--ensemble", "--base-block", "--tbptt", "--tbptt-backward", "nlinear-base",
                "--[no-]validated-base-ridge"}) {
            assertTrue(r.out().contains(option), option);
        }
    }

    @Test
    void byDefaultTheBaselinesAndEachRecurrentCellAreCompared() throws IOException {
        Captured r = Captured.run("evaluate", "--csv", csv(3000).toString(), "--train", "0:1800", "--val", "1800:2400",
                "--test", "2400:3000", "--horizons", "24", "--hidden", "4", "--window", "8", "--iterations", "4",
                "--seed", "3");
        assertEquals(0, r.code(), r.err());
        for (String model : new String[] {"persistence", "seasonal", "nlinear", "nlinear-base", "lstm-nlinear", "gru-nlinear",
                "rnn-nlinear"}) {
            assertTrue(r.stdout().contains("| " + model + " | frozen |"), model + " in\n" + r.stdout());
        }
    }

    @Test
    void aDirectoryAsForecastsOutAndDefaultRangesAreNamedBeforeAnythingRuns() throws IOException {
        String file = csv(3000).toString();
        Path folder = Files.createDirectories(dir.resolve("out"));
        Files.writeString(folder.resolve("keep.txt"), "x");
        CliRun r = CliRun.of("evaluate", "--csv", file, "--train", "0:1800", "--val", "1800:2400", "--test", "2400:3000",
                "--models", "persistence", "--horizons", "24", "--forecasts-out", folder.toString());
        assertEquals(ForecasterCli.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("is a directory"), r.err());
        try (var files = Files.list(folder)) {
            assertEquals(1, files.count(), "nothing written into the folder");
        }
        // Only --test given: the message says the other two ranges are defaults, not the user's.
        r = CliRun.of("evaluate", "--csv", file, "--test", "2400:3000", "--models", "persistence", "--horizons", "24");
        assertEquals(ForecasterCli.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("the ranges not given are the ETT benchmark's defaults"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    /**
     * Where the ETT months do not fit (daily rows, or too few hourly ones) and no range is given,
     * the run takes the split's proportions, 12:4:4 of the rows, and says so; the first 60 % of
     * 200 hourly rows is 120.
     */
    @Test
    void withoutRangesASeriesTheEttMonthsDoNotFitIsSplitByTheirProportions() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("day,value");
        LocalDateTime t = LocalDateTime.of(2020, 1, 1, 0, 0);
        for (int i = 0; i < 500; i++) {
            lines.add(t.plusDays(i).toLocalDate() + "," + (10 + Math.sin(2 * Math.PI * i / 7) + 0.01 * i));
        }
        Path daily = dir.resolve("daily.csv");
        Files.write(daily, lines);
        Captured r = Captured.run("evaluate", "--csv", daily.toString(), "--time-column", "day", "--target", "value",
                "--horizons", "7,14", "--models", "persistence,seasonal,nlinear", "--lookback", "28");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.stderr().contains("does not fit 500 rows at this interval; using its proportions, train 0:300,"
                + " val 300:400, test 400:500"), r.stderr());
        assertTrue(r.stdout().contains("| nlinear | frozen |"), r.stdout());
        // Daily rows: seasonal naive repeats the week, which this weekly cycle rewards, instead of
        // a one-step "day" that would equal persistence.
        assertTrue(mse7(r.stdout(), "seasonal") < mse7(r.stdout(), "persistence") / 10, r.stdout());

        Captured hourly = Captured.run("evaluate", "--csv", csv(200).toString(), "--horizons", "4",
                "--models", "persistence");
        assertEquals(0, hourly.code(), hourly.err());
        assertTrue(hourly.stderr().contains("train 0:120, val 120:160, test 160:200"), hourly.stderr());
    }

    /**
     * Without --time-column the first column named date, timestamp, datetime or time (any case)
     * is the time; a column named in another case is still found; a file with none is a usage error.
     */
    @Test
    void theTimeColumnIsFoundByItsUsualNames() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("value,Timestamp,ot");
        LocalDateTime t = LocalDateTime.of(2020, 1, 1, 0, 0);
        for (int i = 0; i < 300; i++) {
            lines.add((i % 24) + "," + t.plusHours(i) + "," + (10 + Math.sin(2 * Math.PI * i / 24)));
        }
        Path file = dir.resolve("timestamp.csv");
        Files.write(file, lines);
        Captured r = Captured.run("evaluate", "--csv", file.toString(), "--horizons", "4", "--models", "persistence");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.stderr().contains("evaluate: time column Timestamp (--time-column chooses another)"), r.stderr());
        assertTrue(r.stderr().contains("column OT, 300 rows"), r.stderr());

        // A date column and a time-of-day column, as the UCI archive writes them, are read together.
        List<String> uci = new ArrayList<>();
        uci.add("Date;Time;Global_active_power");
        for (int i = 0; i < 300; i++) {
            LocalDateTime at = t.plusMinutes(i);
            uci.add(String.format("%d/%d/%d;%02d:%02d:00;%s", at.getDayOfMonth(), at.getMonthValue(), at.getYear(),
                    at.getHour(), at.getMinute(), i % 50 == 7 ? "?" : String.valueOf(2 + Math.sin(i / 10.0))));
        }
        Path household = dir.resolve("household.csv");
        Files.write(household, uci);
        Captured joined = Captured.run("evaluate", "--csv", household.toString(), "--target", "Global_active_power",
                "--horizons", "4", "--models", "persistence");
        assertEquals(0, joined.code(), joined.err());
        assertTrue(joined.stderr().contains("evaluate: time column Date+Time"), joined.stderr());
        assertTrue(joined.stderr().contains("6 missing values"), joined.stderr());
        assertTrue(!joined.stderr().contains("gap"), "one row per minute, no gaps: " + joined.stderr());

        Path none = dir.resolve("no-time.csv");
        Files.writeString(none, "when,OT\n2020-01-01,1\n");
        CliRun misuse = CliRun.of("evaluate", "--csv", none.toString(), "--models", "persistence");
        assertEquals(2, misuse.code());
        assertTrue(misuse.err().contains("no time column named date, timestamp, datetime, time; name one with --time-column;"
                + " columns are [when, OT]"), misuse.err());
    }

    @Test
    void misuseGivesOneLineAndExitTwo() throws IOException {
        String file = csv(50).toString();
        for (String[] args : new String[][] {
                {"evaluate"},
                {"evaluate", "--csv", "/nonexistent.csv"},
                {"evaluate", "--csv", file, "--mode", "sideways"},
                {"evaluate", "--csv", file, "--models", "prophet"},
                {"evaluate", "--csv", file, "--models", "elman"},
                {"evaluate", "--csv", file, "--models", "gru", "--layers", "0"},
                {"evaluate", "--csv", file, "--models", "gru-nlinear", "--base-block", "-1"},
                {"evaluate", "--csv", file, "--train", "0-10"},
                {"evaluate", "--csv", file, "--train", "0:20", "--val", "10:30", "--test", "30:50"},
                {"evaluate", "--csv", file, "--train", "0:20", "--val", "20:30", "--test", "30:60"},
                {"evaluate", "--csv", file, "--train", "0:20", "--val", "20:30", "--test", "30:50", "--horizons", "0"},
                {"evaluate", "--csv", file, "--target", "nope"},
                {"evaluate", "--csv", file, "--horizons", "x"},
                {"evaluate", "--csv", file, "--forecasts-model", "lstm", "--models", "nlinear"},
                {"evaluate", "--csv", file, "--calendar", "moon_phase"},
                {"evaluate", "--csv", file, "--ensemble", "0"},
                {"evaluate", "--csv", file, "--local-scale", "1"},
                {"evaluate", "--csv", file, "--tbptt", "0"},
                {"evaluate", "--csv", file, "--tbptt", "12", "--tbptt-backward", "13"},
                {"evaluate", "--csv", file, "--tbptt-backward", "-1"},
                {"evaluate", "--csv", file, "--local-scale", "-24"},
                {"evaluate", "--csv", file, "--missing", "interpolate"},
                {"evaluate", "--csv", file, "--report", dir.toString()},
                {"evaluate", "--csv", file, "--calendar", "hour_of_day,hour_of_day"},
                {"evaluate", "--csv", file, "--calendar", "hour_of_day", "--calendar-zone", "Mars/Olympus"}}) {
            CliRun r = CliRun.of(args);
            assertEquals(ForecasterCli.EXIT_USAGE, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line for " + String.join(" ", args) + ": " + r.err());
        }
    }

    @Test
    void writesTheTableAndTheChosenModelsForecasts() throws IOException {
        Path file = csv(200);
        Path out = dir.resolve("forecasts.csv");
        Captured r = Captured.run("evaluate", "--csv", file.toString(), "--train", "0:100", "--val", "100:150", "--test", "150:180",
                    "--horizons", "4,8", "--models", "persistence,seasonal,nlinear", "--lookback", "24",
                    "--forecasts-model", "seasonal", "--forecasts-out", out.toString());
        assertEquals(0, r.code(), r.err());
        String text = r.stdout();
        assertTrue(text.startsWith("| model | mode | MSE@4 | MAE@4 | MSE@8 | MAE@8 |"), text);
        assertEquals(5, text.strip().lines().count(), text);
        assertTrue(text.contains("| seasonal | frozen |"), text);
        List<String> lines = Files.readAllLines(out);
        long expected = 0;
        for (int origin = 149; origin <= 178; origin++) {
            expected += Math.min(8, 179 - origin);
        }
        assertEquals("origin_index,horizon_step,prediction", lines.get(0));
        assertEquals(expected, lines.size() - 1);
        assertEquals("178,1", lines.get(lines.size() - 1).substring(0, 5));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".tmp")).count());
        }
    }

    /**
     * --report writes one self-contained page: every model's scores with the best per column in
     * bold, a step-error line per model and three origins' forecasts, beside the usual table and
     * forecasts file (which the report's sink must not disturb).
     */
    @Test
    void writesAnHtmlReport() throws IOException {
        Path file = csv(200);
        Path html = dir.resolve("report.html");
        Path out = dir.resolve("forecasts.csv");
        Captured r = Captured.run("evaluate", "--csv", file.toString(), "--train", "0:100", "--val", "100:150",
                "--test", "150:180", "--horizons", "4,8", "--models", "persistence,seasonal,nlinear", "--lookback", "24",
                "--forecasts-model", "nlinear", "--forecasts-out", out.toString(), "--report", html.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.stderr().contains("evaluate: report written to " + html), r.stderr());
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>") && page.endsWith("</html>\n"), page);
        assertTrue(!page.contains("<script"), page);
        for (String model : List.of("persistence", "seasonal", "nlinear")) {
            assertTrue(page.contains("<tr><td>" + model + "</td><td>frozen</td>"), model);
            assertTrue(page.contains("<title>" + model + "</title></path>"), model);
        }
        // Sample origins: the first (149), the last whose 8 steps fit (171), and the one between.
        for (int origin : new int[] {149, 160, 171}) {
            assertTrue(page.contains("<title>Forecasts from origin row " + origin + "</title>"), "origin " + origin);
        }
        assertEquals(1, page.split("<title>Test MSE by horizon step</title>", -1).length - 1);
        // One bold cell per score column: 2 horizons x (MSE, MAE).
        assertEquals(4, page.split("<td><b>", -1).length - 1);
        assertEquals(Files.readAllLines(out).size(), 1 + 30 * 8 - (8 * 7 / 2), "forecasts file unchanged");
    }

    @Test
    void irregularTimesAreReportedAndTheRunGoesOn() throws IOException {
        Path file = csv(200);
        Captured regular = Captured.run("evaluate", "--csv", file.toString(), "--train", "0:100", "--val", "100:150",
                "--test", "150:180", "--horizons", "4", "--models", "persistence");
        assertEquals(0, regular.code(), regular.err());
        assertTrue(!regular.stderr().contains("warning"), regular.stderr());

        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        // Three hours left out after data row 51; data row 120 a copy of row 119 (lines.get(i) is row i - 1).
        lines.remove(53);
        lines.remove(53);
        lines.remove(53);
        lines.add(121, lines.get(120));
        Files.write(file, lines);
        Captured irregular = Captured.run("evaluate", "--csv", file.toString(), "--train", "0:100", "--val", "100:150",
                "--test", "150:180", "--horizons", "4", "--models", "persistence");
        assertEquals(0, irregular.code(), irregular.err());
        assertTrue(irregular.stderr().contains("evaluate: warning: 1 time repeats or goes back (first at row 120); 1 gap"
                + " of more than one 1 h interval, about 3 rows missing (longest 4 h, before row 52): rows are taken"
                + " as equally spaced steps"), irregular.stderr());
        assertTrue(irregular.stdout().contains("| persistence | frozen |"), irregular.stdout());
    }

    /**
     * Missing cells are carried forward with one warning and the run goes on (that they are left out
     * of the scores is BacktestTest's), or, with --missing error, stop the run at their line.
     */
    @Test
    void missingValuesAreCarriedAndNotScoredOrRefused() throws IOException {
        Path file = csv(200);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        // Data row 30 (train) empty, rows 160 and 161 (test) NaN; lines.get(i) is row i - 1.
        lines.set(31, lines.get(31).substring(0, lines.get(31).indexOf(',') + 1));
        lines.set(161, lines.get(161).substring(0, lines.get(161).indexOf(',') + 1) + "NaN");
        lines.set(162, lines.get(162).substring(0, lines.get(162).indexOf(',') + 1) + "NaN");
        Path gaps = dir.resolve("gaps.csv");
        Files.write(gaps, lines);
        String[] common = {"--train", "0:100", "--val", "100:150", "--test", "150:180", "--horizons", "4",
                "--models", "persistence"};
        Captured carried = Captured.run(concat(new String[] {"evaluate", "--csv", gaps.toString()}, common));
        assertEquals(0, carried.code(), carried.err());
        assertTrue(carried.stderr().contains("evaluate: warning: 3 missing values in column OT (first at row 30)"
                + " filled with the last value before; 2 of them in the test rows, where no forecast is scored"
                + " against them"), carried.stderr());
        assertTrue(carried.stdout().contains("| persistence | frozen |"), carried.stdout());

        Captured refused = Captured.run(concat(new String[] {"evaluate", "--csv", gaps.toString(), "--missing", "error"},
                common));
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("gaps.csv line 32: '' is not a number"), refused.err());
    }

    /** The MSE of the first horizon in the table row of {@code model}. */
    private static double mse7(String table, String model) {
        String row = table.lines().filter(l -> l.startsWith("| " + model + " |")).findFirst().orElseThrow();
        return Double.parseDouble(row.split("\\|")[3].strip());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /**
     * An untrained residual model forecasts its base: with --base-block 0 exactly NLinear's own
     * forecasts, with blocks a base whose first steps were fitted on more windows.
     */
    @Test
    void theResidualModelsBaseFollowsBaseBlock() throws IOException {
        Path file = csv(200);
        List<List<String>> forecasts = new ArrayList<>();
        for (String[] choice : new String[][] {{"nlinear", "0"}, {"lstm-nlinear", "0"}, {"lstm-nlinear", "2"}}) {
            Path out = dir.resolve(choice[0] + "-" + choice[1] + ".csv");
            Captured r = Captured.run("evaluate", "--csv", file.toString(), "--train", "0:100", "--val", "100:150",
                    "--test", "150:180", "--horizons", "4", "--models", "nlinear,lstm-nlinear", "--lookback", "24",
                    "--hidden", "4", "--window", "12", "--iterations", "0", "--base-block", choice[1],
                    "--forecasts-model", choice[0], "--forecasts-out", out.toString());
            assertEquals(0, r.code(), r.err());
            forecasts.add(Files.readAllLines(out));
        }
        assertEquals(forecasts.get(0), forecasts.get(1));
        assertEquals(forecasts.get(0).size(), forecasts.get(2).size());
        assertNotEquals(forecasts.get(0), forecasts.get(2));
    }

    /**
     * By default the recurrent models' corrections are shrunk by factors fitted on validation (the
     * fit report says how much); {@code --no-shrink} adds them whole. The factors are damped by their
     * validation uncertainty unless {@code --no-shrink-uncertainty} is given.
     */
    @Test
    void theCorrectionIsShrunkUnlessNoShrinkIsGiven() throws IOException {
        Path file = csv(200);
        String[] common = {"evaluate", "--csv", file.toString(), "--train", "0:100", "--val", "100:150", "--test",
                "150:180", "--horizons", "4", "--models", "gru-nlinear", "--lookback", "24", "--hidden", "4",
                "--window", "12", "--iterations", "2"};
        Captured shrunk = Captured.run(common);
        assertEquals(0, shrunk.code(), shrunk.err());
        assertTrue(shrunk.stderr().contains("shrink_mean="), shrunk.stderr());
        String[] whole = concat(common, "--no-shrink");
        Captured plain = Captured.run(whole);
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.stderr().contains("gru-nlinear last fit") && !plain.stderr().contains("shrink_mean="),
                plain.stderr());
        assertTrue(shrunk.stderr().contains("shrink_blocks=16.0"), "damped by default: " + shrunk.stderr());
        String[] undamped = concat(common, "--no-shrink-uncertainty");
        Captured leastSquares = Captured.run(undamped);
        assertEquals(0, leastSquares.code(), leastSquares.err());
        assertTrue(leastSquares.stderr().contains("shrink_mean=") && !leastSquares.stderr().contains("shrink_blocks="),
                leastSquares.stderr());
    }

    /**
     * The residual models' base has its ridges chosen on validation unless {@code
     * --no-validated-base-ridge} is given: the fit report names the range chosen, and a network
     * that trains for no minibatch scores exactly as {@code nlinear-base}, its base alone.
     */
    @Test
    void theBaseRidgeIsValidatedUnlessNoValidatedBaseRidgeIsGiven() throws IOException {
        Path file = csv(200);
        String[] common = {"evaluate", "--csv", file.toString(), "--train", "0:100", "--val", "100:150", "--test",
                "150:180", "--horizons", "4", "--models", "nlinear-base,gru-nlinear", "--lookback", "24", "--hidden", "4",
                "--window", "12", "--iterations", "0"};
        Captured validated = Captured.run(common);
        assertEquals(0, validated.code(), validated.err());
        assertTrue(validated.stderr().contains("base_ridge_min=") && validated.stderr().contains("base_ridge_max="),
                validated.stderr());
        assertEquals(row(validated.stdout(), "nlinear-base"), row(validated.stdout(), "gru-nlinear"),
                "an untrained network adds nothing to its base:\n" + validated.stdout());
        String[] plain = concat(common, "--no-validated-base-ridge");
        Captured leastSquares = Captured.run(plain);
        assertEquals(0, leastSquares.code(), leastSquares.err());
        assertTrue(leastSquares.stderr().contains("gru-nlinear last fit") && !leastSquares.stderr().contains("base_ridge_min="),
                leastSquares.stderr());
        assertEquals(row(leastSquares.stdout(), "nlinear-base"), row(leastSquares.stdout(), "gru-nlinear"));
    }

    /**
     * Without --horizons a test span shorter than 720 rows is scored at the default horizons it
     * holds, the others named in a warning; when it holds none the command says so and stops.
     */
    @Test
    void theDefaultHorizonsAreThoseTheTestRowsHold() throws IOException {
        Path file = csv(1000);
        Captured r = Captured.run("evaluate", "--csv", file.toString(), "--train", "0:600", "--val", "600:800", "--test",
                "800:1000", "--models", "persistence");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.stderr().contains("horizons [336, 720] are longer than the 200 test rows and left out"), r.stderr());
        assertTrue(r.stdout().contains("| MSE@96 | MAE@96 | MSE@192 | MAE@192 | fits |"), r.stdout());
        CliRun none = CliRun.of("evaluate", "--csv", file.toString(), "--train", "0:600", "--val", "600:900", "--test",
                "900:950", "--models", "persistence");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("the default horizons 96,192,336,720 are all longer than the 50 test rows;"
                + " give --horizons"), none.err());
    }

    /** A result row's MSE and MAE cells, without the model name and timings. */
    private static String row(String table, String model) {
        String line = table.lines().filter(l -> l.startsWith("| " + model + " | ")).findFirst()
                .orElseThrow(() -> new AssertionError(model + " not in\n" + table));
        String[] cells = line.split("\\|");
        return String.join("|", Arrays.copyOfRange(cells, 3, cells.length - 3));
    }

    /** {@code --local-scale} reaches the recurrent models: their fit report names it and the validation rows' mean ratio. */
    @Test
    void aLocalScaleReachesTheRecurrentModels() throws IOException {
        Path file = csv(200);
        Captured r = Captured.run("evaluate", "--csv", file.toString(), "--train", "0:100", "--val", "100:150", "--test",
                "150:180", "--horizons", "4", "--models", "gru-nlinear", "--lookback", "24", "--hidden", "4",
                "--window", "12", "--iterations", "2", "--local-scale", "24");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.stderr().contains("local_scale=24.0") && r.stderr().contains("val_local_ratio_mean="), r.stderr());
    }

    /**
     * The truncated-BPTT lengths reach the recurrent models: their fit report names them, clamped to
     * the window. Each validation check of a fit shows its scores on the progress bar's line.
     */
    @Test
    void truncatedBpttLengthsReachTheRecurrentModelsAndFitsShowTheirScores() throws IOException {
        Path file = csv(200);
        Captured r = Captured.run("evaluate", "--csv", file.toString(), "--train", "0:100", "--val", "100:150", "--test",
                "150:180", "--horizons", "4", "--models", "gru-nlinear,rnn-nlinear", "--lookback", "24", "--hidden", "4",
                "--window", "12", "--iterations", "2", "--tbptt", "6", "--tbptt-backward", "3");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, r.stderr().lines().filter(l -> l.contains("tbptt=6.0") && l.contains("tbptt_backward=3.0")).count(),
                r.stderr());

        Captured scored = Captured.run("evaluate", "--csv", file.toString(), "--train", "0:100", "--val", "100:150",
                "--test", "150:180", "--horizons", "4", "--models", "rnn-nlinear", "--lookback", "24", "--hidden", "4",
                "--window", "12", "--iterations", "100");
        assertEquals(0, scored.code(), scored.err());
        assertTrue(scored.stderr().lines().anyMatch(l -> l.startsWith("rnn-nlinear")
                && l.contains("fitting rnn-nlinear: minibatch 50/100, train loss ") && l.contains(", val mse ")),
                scored.stderr());
    }

    /** A seed ensemble fits one member per seed and reports the average under its own name. */
    @Test
    void anEnsembleFitsOneMemberPerSeed() throws IOException {
        Path file = csv(200);
        Captured r = Captured.run("evaluate", "--csv", file.toString(), "--train", "0:100", "--val", "100:150", "--test", "150:180",
                    "--horizons", "4", "--models", "rnn-nlinear", "--lookback", "24", "--hidden", "4", "--window", "12",
                    "--iterations", "2", "--ensemble", "2", "--seed", "7", "--forecasts-out",
                    dir.resolve("ens.csv").toString());
        assertEquals(0, r.code(), r.err());
        String text = r.stdout();
        assertTrue(text.contains("| rnn-nlinear-ens2 | frozen |"), text);
        String err = r.stderr();
        assertTrue(err.contains("evaluate: rnn-nlinear-ens2#7 last fit") && err.contains("evaluate: rnn-nlinear-ens2#8 last fit"), err);
        assertTrue(err.contains("forecasts of rnn-nlinear-ens2 written"), err);
        // Each member's own row, from the ensemble's fit: the same figures as a single fit with its seed.
        Captured single = Captured.run("evaluate", "--csv", file.toString(), "--train", "0:100", "--val", "100:150",
                "--test", "150:180", "--horizons", "4", "--models", "rnn-nlinear", "--lookback", "24", "--hidden", "4",
                "--window", "12", "--iterations", "2", "--seed", "8");
        assertEquals(0, single.code(), single.err());
        assertEquals(scores(single.stdout(), "rnn-nlinear"), scores(text, "rnn-nlinear-ens2#8"), text);
        assertTrue(text.contains("| rnn-nlinear-ens2#7 | frozen |"), text);
    }

    /** The MSE and MAE cells of a model's row in an evaluate table. */
    private static List<String> scores(String table, String model) {
        String row = table.lines().filter(l -> l.startsWith("| " + model + " |")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + model + " in\n" + table));
        return List.of(row.split("\\|")).subList(3, 5);
    }

    /**
     * Every recurrent cell in one backtest, stacked two deep, with a tiny training budget, reading
     * calendar features of the rows' times.
     */
    @Test
    void comparesTheRecurrentCells() throws IOException {
        Path file = csv(200);
        Captured r = Captured.run("evaluate", "--csv", file.toString(), "--train", "0:100", "--val", "100:150", "--test", "150:180",
                    "--horizons", "4", "--models", "persistence,lstm,gru,rnn,irnn-nlinear", "--lookback", "24",
                    "--hidden", "4", "--layers", "2", "--window", "12", "--iterations", "2",
                    "--calendar", "hour_of_day,day_of_week");
        assertEquals(0, r.code(), r.err());
        String text = r.stdout();
        for (String model : new String[] {"persistence", "lstm", "gru", "rnn", "irnn-nlinear"}) {
            assertTrue(text.contains("| " + model + " | frozen |"), text);
        }
        String err = r.stderr();
        assertTrue(err.contains("evaluate: gru last fit"), err);
    }

    /** A command run with the process's stdout and stderr captured, where evaluate writes its table and progress. */
    private record Captured(int code, String err, String stdout, String stderr) {
        static Captured run(String... args) {
            PrintStream out = System.out;
            PrintStream err = System.err;
            ByteArrayOutputStream table = new ByteArrayOutputStream();
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            CliRun r;
            try {
                System.setOut(new PrintStream(table, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
                r = CliRun.of(args);
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
            return new Captured(r.code(), r.err(), table.toString(StandardCharsets.UTF_8),
                    log.toString(StandardCharsets.UTF_8));
        }
    }
}
