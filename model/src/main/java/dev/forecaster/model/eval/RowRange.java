package dev.forecaster.model.eval;

/** Half-open range {@code [start, end)} of 0-based data rows (the CSV header is not a row). */
public record RowRange(int start, int end) {

    public RowRange {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException(
                    "row range must have 0 <= start < end, was " + start + ":" + end);
        }
    }

    /**
     * Parses {@code start:end}.
     *
     * @throws IllegalArgumentException when the text is not two integers around a colon or the
     *     range is empty
     */
    public static RowRange parse(String text) {
        String s = text == null ? "" : text.strip();
        int colon = s.indexOf(':');
        if (colon < 0 || colon != s.lastIndexOf(':')) {
            throw new IllegalArgumentException("expected START:END, was '" + text + "'");
        }
        try {
            return new RowRange(Integer.parseInt(s.substring(0, colon).strip()),
                    Integer.parseInt(s.substring(colon + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected START:END of integers, was '" + text + "'", e);
        }
    }

    public int length() {
        return end - start;
    }

    public boolean contains(int row) {
        return row >= start && row < end;
    }

    @Override
    public String toString() {
        return start + ":" + end;
    }
}
