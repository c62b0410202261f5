package dev.forecaster.jobs.cli;

import dev.forecaster.jobs.report.EvaluationReport;
import dev.forecaster.model.CellType;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.eval.Backtest;
import dev.forecaster.model.eval.EnsembleForecaster;
import dev.forecaster.model.eval.FitProgress;
import dev.forecaster.model.eval.Forecaster;
import dev.forecaster.model.eval.ForecastsCsv;
import dev.forecaster.model.eval.NLinear;
import dev.forecaster.model.eval.Persistence;
import dev.forecaster.model.eval.Prefitted;
import dev.forecaster.model.eval.RecurrentForecaster;
import dev.forecaster.model.eval.ResultTable;
import dev.forecaster.model.eval.RowRange;
import dev.forecaster.model.eval.SeasonalNaive;
import dev.forecaster.model.eval.Split;
import dev.forecaster.model.eval.StepErrors;
import dev.forecaster.model.eval.TimeSeries;
import dev.forecaster.model.eval.ZScore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Backtests forecasters on one column of a CSV file: every test origin with stride 1, MSE and MAE per",
            "horizon on values z-normalised with the train rows' mean and std, printed as a markdown table.",
            "An origin is the row of the last value seen; horizon H counts origins test.start-1 .. test.end-1-H.",
            "Models: persistence, seasonal (period = one day), nlinear, and recurrent networks CELL forecasting",
            "relative to the last value or CELL-nlinear forecasting NLinear's residuals, CELL one of lstm, gru,",
            "rnn (Elman, tanh) and irnn (Elman with identity-initialised recurrent weights); nlinear-base is the",
            "NLinear those networks correct, on its own (in blocks, its ridge chosen on the validation rows,",
            "the fit averaged with least squares).",
            "With --head gaussian the recurrent models (named MODEL-gaussian in the tables) forecast a Gaussian per",
            "step, its spreads calibrated per step on the validation origins (p10-p90 covering 80 %% of them),",
            "and a second table gives their calibration per horizon: coverage of the p10-p90 interval",
            "(ideal 0.80), mean CRPS and mean NLL, in the same normalised units."
        })
public final class EvaluateCommand extends UsageErrors implements Callable<Integer> {

    private static final String NLINEAR_SUFFIX = "-nlinear";

    /** Recurrent model names without their "-nlinear" suffix, and the cell each trains. */
    private static final Map<String, CellType> CELLS = new LinkedHashMap<>();

    static {
        CELLS.put("lstm", CellType.LSTM);
        CELLS.put("gru", CellType.GRU);
        CELLS.put("rnn", CellType.RNN);
        CELLS.put("irnn", CellType.RNN);
    }

    /** Models whose forecasts go to --forecasts-out unless --forecasts-model says otherwise. */
    static final List<String> RECURRENT = CELLS.keySet().stream()
            .flatMap(c -> Stream.of(c, c + NLINEAR_SUFFIX)).toList();
    static final List<String> MODELS = Stream.concat(
            Stream.of("persistence", "seasonal", "nlinear", "nlinear-base"), RECURRENT.stream()).toList();


    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "CSV file with a header line.")
    Path csv;

    @Option(names = "--time-column", description = "Time column, or DATE+TIME for a date column and a time-of-day column read together; its interval sets the seasonal period and the default split (default: the first column named date, timestamp, datetime or time, in any case, joined with a time column when it holds dates only and that one times of day).")
    String timeColumn;

    @Option(names = "--target", defaultValue = "OT", description = "Column to forecast (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--missing", defaultValue = "carry", paramLabel = "carry|error", description = "Empty, NaN, NA,"
            + " N/A, #N/A, null, None or ? target cells: carry (fill with the last value before, and score no forecast against them;"
            + " a warning counts them) or error (stop at the first) (default: ${DEFAULT-VALUE}).")
    String missing;

    @Option(names = "--train", paramLabel = "START:END", description = "Train rows, 0-based, end exclusive (default: the ETT benchmark's first 12 months of 30 days; where those do not fit the series, the first 60 %% of its rows, with val and test the next 20 %% each).")
    String train;

    @Option(names = "--val", paramLabel = "START:END", description = "Validation rows (default: the next 4 months).")
    String val;

    @Option(names = "--test", paramLabel = "START:END", description = "Test rows (default: the next 4 months).")
    String test;

    /** The protocol's horizons, used where they fit the test rows when --horizons is not given. */
    static final List<Integer> DEFAULT_HORIZONS = List.of(96, 192, 336, 720);

    @Option(names = "--horizons", split = ",", description = "Forecast horizons in steps (default: 96,192,336,720,"
            + " those longer than the test rows left out with a warning).")
    List<Integer> horizons;

    @Option(names = "--models", defaultValue = "persistence,seasonal,nlinear,nlinear-base,lstm-nlinear,gru-nlinear,rnn-nlinear", split = ",", description = "Models to evaluate (default: ${DEFAULT-VALUE}: the baselines, the base the recurrent models correct, and each recurrent cell in its better form, on that base's residuals).")
    List<String> models;

    @Option(names = "--mode", defaultValue = "frozen", description = "frozen: fit once on the train rows; online: refit every --retrain-every origins on all rows known then (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--retrain-every", defaultValue = "168", description = "Origins between refits in online mode (default: ${DEFAULT-VALUE}).")
    int retrainEvery;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the recurrent models (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--ensemble", defaultValue = "1", paramLabel = "K",
            description = "Fit each recurrent model K times, with seeds seed .. seed+K-1, and forecast their average (named MODEL-ensK in the tables); K times the fitting cost (default: ${DEFAULT-VALUE}).")
    int ensemble;

    @Option(names = "--forecasts-out", paramLabel = "FILE", description = "Write one model's test forecasts here: origin_index,horizon_step,prediction (raw units).")
    Path forecastsOut;

    @Option(names = "--report", paramLabel = "R.html", description = "Also write an HTML report: the scores with"
            + " the best of each horizon marked, every model's test MSE at each step of the longest horizon, and three"
            + " origins' forecasts against the observed series. Opens in any browser, offline.")
    Path report;

    @Option(names = "--forecasts-model", paramLabel = "MODEL", description = "Model whose forecasts --forecasts-out gets (default: the recurrent model with the lowest mean test MSE, or any model when none is recurrent).")
    String forecastsModel;

    @Option(names = "--season-period", defaultValue = "0", description = "Seasonal-naive period in steps; 0 = one day from the time column, one week for daily rows, one year (52, 12, 4) for weekly, monthly and quarterly rows (default: ${DEFAULT-VALUE}).")
    int seasonPeriod;

    @Option(names = "--lookback", defaultValue = "336", description = "NLinear input length (default: ${DEFAULT-VALUE}).")
    int lookback;

    @Option(names = "--base-block", defaultValue = "" + RecurrentForecaster.DEFAULT_BASE_BLOCK, paramLabel = "STEPS",
            description = "MODEL-nlinear: the NLinear base forecasts the head's steps in blocks of this many, each fitted on every train window with labels up to the block's end; 0 = one model of all the steps, fitted only on windows that have them all (default: ${DEFAULT-VALUE}).")
    int baseBlock;

    @Option(names = "--validated-base-ridge", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "MODEL-nlinear and nlinear-base: choose each block's ridge penalty on the validation rows (from 1e-4 to 1 times the lags' mean Gram diagonal) and average that fit with the least-squares one, so that the base leans toward persistence where the lags carry little or the train windows are few, and a pick the validation months do not carry to later ones costs little; --no-validated-base-ridge keeps the NLinear baseline's tiny ridge (default: ${DEFAULT-VALUE}).")
    boolean validatedBaseRidge;

    @Option(names = "--shrink", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Recurrent models: scale the network's correction at each step by a factor in [0, 1] fitted on the validation origins, so that a correction validation does not support is damped toward the base; --no-shrink adds it whole, as the first versions did (default: ${DEFAULT-VALUE}).")
    boolean shrink;

    @Option(names = "--shrink-uncertainty", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Recurrent models, with shrinkage: also damp each step's factor by how uncertain validation leaves it (positive-part James-Stein, standard errors from 16 runs of validation origins), so that a gain a few validation weeks carry is trusted less; --no-shrink-uncertainty keeps the plain least-squares factors of sessions 6-11 (default: ${DEFAULT-VALUE}).")
    boolean shrinkUncertainty;

    @Option(names = "--local-scale", defaultValue = "0", paramLabel = "CHANGES",
            description = "Recurrent models: learn and apply the network's correction in units of the series' recent volatility, the root mean square of the last CHANGES one-step changes relative to the train rows', so that corrections shrink in calm stretches; 0 = off, in units of the train rows' std (default: ${DEFAULT-VALUE}).")
    int localScale;

    @Option(names = {"--hidden", "--lstm-hidden"}, defaultValue = "64", description = "Hidden units per recurrent layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "Stacked recurrent layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = {"--window", "--lstm-window"}, defaultValue = "48", description = "Recurrent training window and forecast context in steps (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--tbptt", defaultValue = "48", paramLabel = "STEPS",
            description = "Recurrent models: truncated BPTT cuts each training window into segments of this many steps (at most --window), the recurrent state carried from one to the next (default: ${DEFAULT-VALUE}).")
    int tbptt;

    @Option(names = "--tbptt-backward", defaultValue = "0", paramLabel = "STEPS",
            description = "Recurrent models: gradients flow back through only the last STEPS steps of each segment, from the state before them held constant; 0 = the whole segment (default: ${DEFAULT-VALUE}).")
    int tbpttBackward;

    @Option(names = "--head", defaultValue = "point", converter = HeadOption.class,
            description = "Head of the recurrent models: point (MSE) or gaussian (a mean and a standard deviation per step, trained and selected on their likelihood, the standard deviations then calibrated on the validation rows) (default: ${DEFAULT-VALUE}).")
    HeadKind head;

    @Mixin
    CalendarOptions calendar = new CalendarOptions();

    @Option(names = {"--iterations", "--lstm-iterations"}, defaultValue = "400", description = "Most minibatches per recurrent fit; early stopping on the validation rows usually ends sooner (default: ${DEFAULT-VALUE}).")
    int iterations;


    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        Backtest.Mode backtestMode = parseMode();
        TimeSeries.MissingValues missingValues = parseMissing();
        List<Integer> hs = (horizons == null ? DEFAULT_HORIZONS : horizons).stream().distinct().sorted().toList();
        if (hs.isEmpty() || hs.get(0) <= 0) {
            throw usage("--horizons must be positive integers, were " + horizons);
        }
        List<String> names = models.stream().map(m -> m.strip().toLowerCase(Locale.ROOT)).distinct().toList();
        if (hidden <= 0 || layers <= 0 || window <= 0 || iterations < 0 || baseBlock < 0) {
            throw usage("--hidden, --layers and --window must be positive and --iterations and --base-block not negative");
        }
        if (tbptt <= 0 || tbpttBackward < 0 || tbpttBackward > tbptt) {
            throw usage("--tbptt must be positive and --tbptt-backward from 0 (the whole segment) to --tbptt, were "
                    + tbptt + " and " + tbpttBackward);
        }
        if (ensemble < 1) {
            throw usage("--ensemble must be at least 1, was " + ensemble);
        }
        if (localScale < 0 || localScale == 1) {
            throw usage("--local-scale must be 0 (off) or at least 2 changes, was " + localScale);
        }
        for (String m : names) {
            if (!MODELS.contains(m)) {
                throw usage("unknown model '" + m + "'; known: " + String.join(",", MODELS));
            }
        }
        if (forecastsModel != null && !names.contains(forecastsModel)) {
            throw usage("--forecasts-model " + forecastsModel + " is not among --models " + String.join(",", names));
        }
        if (forecastsModel != null && forecastsOut == null) {
            throw usage("--forecasts-model needs --forecasts-out");
        }
        if (forecastsOut != null && Files.isDirectory(forecastsOut)) {
            // Checked now, not after the whole backtest has run.
            throw usage("--forecasts-out " + forecastsOut + " is a directory; give a file name");
        }
        if (report != null && Files.isDirectory(report)) {
            throw usage("--report " + report + " is a directory; give a file name");
        }
        if (!Files.isReadable(csv)) {
            throw usage("cannot read --csv file " + csv);
        }
        TimeSeries series;
        try {
            String time = timeColumn;
            if (time == null) {
                time = TimeSeries.defaultTimeColumn(csv);
                if (!time.equals("date")) {
                    err.println("evaluate: time column " + time + " (--time-column chooses another)");
                }
            }
            series = TimeSeries.readCsv(csv, time, target, missingValues);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Split split = split(series);
        if (horizons == null) {
            hs = defaultHorizons(split);
        }
        Backtest backtest;
        List<Forecaster> forecasters = new ArrayList<>();
        try {
            split.requireWithin(series.length());
            backtest = new Backtest(split, hs, backtestMode, retrainEvery, series.missing());
            for (String m : names) {
                forecasters.add(create(m, series, hs));
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw usage(e.getMessage());
        }
        err.printf(Locale.ROOT, "evaluate: %s column %s, %d rows, train %s, val %s, test %s, origins %d..%d, mode %s%n",
                csv.getFileName(), target, series.length(), split.train(), split.val(), split.test(),
                backtest.firstOrigin(), backtest.lastOrigin(), backtestMode.label());
        // Printed now, and repeated among the report's facts.
        Map<String, String> warnings = new LinkedHashMap<>();
        String spacing = series.length() < 2 ? "" : series.spacing().describe();
        if (!spacing.isEmpty()) {
            warnings.put("times", spacing);
        }
        if (series.missingRows().length > 0) {
            warnings.put("missing values", describeMissing(series, split));
        }
        warnings.values().forEach(w -> err.println("evaluate: warning: " + w));
        int hMax = hs.get(hs.size() - 1);
        int[] sampleOrigins = IntStream.of(backtest.firstOrigin(),
                (backtest.firstOrigin() + split.test().end() - 1 - hMax) / 2, split.test().end() - 1 - hMax)
                .distinct().toArray();
        List<EvaluationReport.ModelCurves> curves = new ArrayList<>();
        BitSet filled = series.missing();
        ZScore z = report == null ? null : backtest.zScore(series.values());

        List<String> candidates = (forecastsOut == null ? List.<String>of()
                : forecastsModel != null ? List.of(forecastsModel)
                : names.stream().anyMatch(RECURRENT::contains)
                        ? names.stream().filter(RECURRENT::contains).toList() : names)
                .stream().map(this::label).toList();
        List<Backtest.Result> results = new ArrayList<>();
        try (PendingFiles pending = new PendingFiles()) {
            for (Forecaster f : forecasters) {
                ProgressBar bar = new ProgressBar(err, String.format(Locale.ROOT, "%-13s", f.name()));
                Backtest.Listener listener = new Backtest.Listener() {
                    @Override
                    public void onFitStart(String model, int origin) {
                        bar.update(origin - backtest.firstOrigin(), backtest.lastOrigin() - backtest.firstOrigin() + 1, "fitting");
                    }

                    @Override
                    public void onOrigin(String model, long done, long total) {
                        bar.update(done, total, "");
                    }

                    @Override
                    public void onFitScore(String model, FitProgress.Score score) {
                        bar.status(score.describe());
                    }
                };
                Backtest.Result result;
                StepErrors steps = report == null ? null
                        : new StepErrors(series.values(), z, filled, hMax, sampleOrigins);
                if (candidates.contains(f.name())) {
                    Path tmp = pending.add(f.name(),
                            forecastsOut.resolveSibling(forecastsOut.getFileName() + "." + f.name() + ".tmp"));
                    try (ForecastsCsv file = new ForecastsCsv(tmp)) {
                        Backtest.ForecastSink sink = steps == null ? file : (origin, forecast) -> {
                            file.accept(origin, forecast);
                            steps.accept(origin, forecast);
                        };
                        result = backtest.run(f, series.values(), epochMillis(series), sink, listener);
                    }
                } else {
                    result = backtest.run(f, series.values(), epochMillis(series), steps, listener);
                }
                results.add(result);
                if (steps != null) {
                    curves.add(new EvaluationReport.ModelCurves(result.model(), steps.mseByStep(), steps.samples()));
                }
                if (f instanceof RecurrentForecaster r) {
                    err.println("evaluate: " + f.name() + " last fit " + r.fitReport());
                } else if (f instanceof EnsembleForecaster e) {
                    for (Forecaster m : e.members()) {
                        err.println("evaluate: " + m.name() + " last fit " + ((RecurrentForecaster) m).fitReport());
                    }
                    if (!e.calibrationReport().isEmpty()) {
                        err.println("evaluate: " + f.name() + " mixture calibration " + e.calibrationReport());
                    }
                    if (backtestMode == Backtest.Mode.FROZEN) {
                        // The members' own scores, from the fits the ensemble made: how much averaging gained.
                        for (Forecaster m : e.members()) {
                            results.add(backtest.run(new Prefitted(m), series.values(), epochMillis(series), null,
                                    listener));
                        }
                    }
                }
            }
            if (forecastsOut != null) {
                String chosen = results.stream().filter(r -> candidates.contains(r.model()))
                        .min((a, b) -> Double.compare(a.meanMse(), b.meanMse())).orElseThrow().model();
                pending.keep(chosen, forecastsOut);
                err.println("evaluate: forecasts of " + chosen + " written to " + forecastsOut);
            }
        }
        if (report != null) {
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("file", csv.toString());
            facts.put("column", target + ", " + series.length() + " rows");
            facts.put("rows", "train " + split.train() + ", val " + split.val() + ", test " + split.test());
            facts.put("mode", backtestMode == Backtest.Mode.ONLINE
                    ? "online, refit every " + retrainEvery + " origins" : backtestMode.label());
            facts.put("origins", backtest.firstOrigin() + ".." + backtest.lastOrigin());
            facts.put("seed", seed + (ensemble > 1 ? ", ensembles of " + ensemble : ""));
            facts.putAll(warnings);
            EvaluationReport.write(report, "Backtest of " + csv.getFileName() + " column " + target, facts, results,
                    hs, curves, new EvaluationReport.Observed(series.values(), hMax / 2));
            err.println("evaluate: report written to " + report);
        }
        System.out.print(ResultTable.markdown(results, hs));
        System.out.flush();
        return 0;
    }

    /** The name a model has in the tables: a recurrent model's head shows when it is not a point head. */
    private String label(String model) {
        if (!RECURRENT.contains(model)) {
            return model;
        }
        String headed = head != HeadKind.POINT ? model + "-" + head.name().toLowerCase(Locale.ROOT) : model;
        return ensemble > 1 ? headed + "-ens" + ensemble : headed;
    }

    /** One line: how many cells were filled, where the first was, and how many of them the test rows hold. */
    static String describeMissing(TimeSeries series, Split split) {
        int[] rows = series.missingRows();
        long inTest = Arrays.stream(rows).filter(r -> r >= split.test().start() && r < split.test().end()).count();
        return String.format(Locale.ROOT, "%d missing %s in column %s (first at row %d) filled with the last value"
                        + " before; %d of them in the test rows, where no forecast is scored against them",
                rows.length, rows.length == 1 ? "value" : "values", series.name(), rows[0], inTest);
    }

    private TimeSeries.MissingValues parseMissing() {
        return switch (missing.strip().toLowerCase(Locale.ROOT)) {
            case "carry" -> TimeSeries.MissingValues.CARRY;
            case "error" -> TimeSeries.MissingValues.ERROR;
            default -> throw usage("--missing must be carry or error, was '" + missing + "'");
        };
    }

    private Backtest.Mode parseMode() {
        try {
            return Backtest.Mode.valueOf(mode.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("--mode must be frozen or online, was '" + mode + "'");
        }
    }

    private Split split(TimeSeries series) {
        Split defaults = null;
        try {
            if (train == null && val == null && test == null && !ettSplitFits(series)) {
                Split split = Split.proportional(series.length());
                System.err.println("evaluate: the ETT benchmark's split (12, 4 and 4 months of hourly or finer rows)"
                        + " does not fit " + series.length() + " rows at this interval; using its proportions,"
                        + " train " + split.train() + ", val " + split.val() + ", test " + split.test()
                        + " (--train, --val and --test choose others)");
                return split;
            }
            if (train == null || val == null || test == null) {
                defaults = ettSplit(series.stepSeconds());
                if (defaults == null) {
                    throw usage("the default split needs an interval that divides an hour; give --train, --val and --test");
                }
            }
            return new Split(train != null ? RowRange.parse(train) : defaults.train(),
                    val != null ? RowRange.parse(val) : defaults.val(),
                    test != null ? RowRange.parse(test) : defaults.test());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A range the user did not give would otherwise read as if they had typed it.
            throw usage(defaults == null ? e.getMessage() : e.getMessage() + " (the ranges not given are the ETT"
                    + " benchmark's defaults " + defaults.train() + ", " + defaults.val() + ", " + defaults.test()
                    + " for train, val and test; give --train, --val and --test for another series)");
        }
    }

    /**
     * The default horizons that the test rows hold, the others named on stderr: a shorter series
     * (a weekly one of a few hundred rows) still gets the horizons it can be scored at.
     */
    private List<Integer> defaultHorizons(Split split) {
        int rows = split.test().length();
        List<Integer> fit = DEFAULT_HORIZONS.stream().filter(h -> h <= rows).toList();
        if (fit.isEmpty()) {
            throw usage("the default horizons " + DEFAULT_HORIZONS.stream().map(String::valueOf).collect(
                    Collectors.joining(",")) + " are all longer than the " + rows
                    + " test rows; give --horizons");
        }
        if (fit.size() < DEFAULT_HORIZONS.size()) {
            System.err.println("evaluate: warning: horizons " + DEFAULT_HORIZONS.subList(fit.size(), DEFAULT_HORIZONS.size())
                    + " are longer than the " + rows + " test rows and left out (--horizons chooses others)");
        }
        return fit;
    }

    /** Whether the ETT months fit: an interval that divides an hour, and rows up to the test end. */
    private static boolean ettSplitFits(TimeSeries series) {
        if (series.length() < 2) {
            return false;
        }
        Split ett = ettSplit(series.stepSeconds());
        return ett != null && ett.test().end() <= series.length();
    }

    /** The ETT months at an interval of {@code step} seconds, or null when it does not divide an hour. */
    private static Split ettSplit(long step) {
        return step > 0 && 3600 % step == 0 ? Split.ett((int) (3600 / step)) : null;
    }

    /** The rows' times, which recurrent models with --calendar read. */
    private static long[] epochMillis(TimeSeries series) {
        long[] seconds = series.epochSeconds();
        long[] millis = new long[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            millis[i] = seconds[i] * 1000L;
        }
        return millis;
    }

    private Forecaster create(String name, TimeSeries series, List<Integer> hs) {
        return switch (name) {
            case "persistence" -> new Persistence();
            case "seasonal" -> new SeasonalNaive(seasonPeriod > 0 ? seasonPeriod : series.seasonalPeriod());
            case "nlinear" -> new NLinear(lookback, hs);
            // The base that the MODEL-nlinear networks correct, on its own.
            case "nlinear-base" -> NLinear.base(lookback, hs.get(hs.size() - 1), baseBlock, hs, validatedBaseRidge)
                    .named("nlinear-base");
            default -> {
                if (!RECURRENT.contains(name)) {
                    throw new IllegalArgumentException("unknown model " + name + " (known: " + Arrays.toString(MODELS.toArray()) + ")");
                }
                boolean residual = name.endsWith(NLINEAR_SUFFIX);
                String cell = residual ? name.substring(0, name.length() - NLINEAR_SUFFIX.length()) : name;
                List<RecurrentForecaster> members = new ArrayList<>();
                for (int i = 0; i < ensemble; i++) {
                    members.add(new RecurrentForecaster(ensemble == 1 ? label(name) : label(name) + "#" + (seed + i),
                            RecurrentForecaster.Options.defaults(
                                            residual ? RecurrentForecaster.Base.NLINEAR : RecurrentForecaster.Base.PERSISTENCE,
                                            seed + i)
                                    .withCell(CELLS.get(cell), cell.equals("irnn"))
                                    .withTbptt(tbptt, tbpttBackward).withShape(hidden, window).withLayers(layers).withMaxIterations(iterations)
                                    .withNlinearLookback(lookback).withHead(head).withBaseBlock(baseBlock).withShrink(shrink)
                                    .withLocalScale(localScale).withShrinkUncertainty(shrinkUncertainty)
                                    .withValidatedBaseRidge(validatedBaseRidge)
                                    .withFeatures(calendar.features()),
                            hs));
                }
                yield ensemble == 1 ? members.get(0) : new EnsembleForecaster(label(name), members,
                        hs.stream().mapToInt(Integer::intValue).max().orElseThrow());
            }
        };
    }
}
