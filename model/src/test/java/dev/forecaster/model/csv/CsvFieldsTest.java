package dev.forecaster.model.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.List;

class CsvFieldsTest {

    @Test
    void theHeaderTellsTheDelimiter() {
        assertEquals(',', CsvFields.delimiter("date,OT,HUFL"));
        assertEquals(';', CsvFields.delimiter("date;OT;HUFL"));
        assertEquals('\t', CsvFields.delimiter("date\tOT\tHUFL"));
        assertEquals(',', CsvFields.delimiter("value"));
        // Delimiters inside quotes do not count.
        assertEquals(',', CsvFields.delimiter("\"a;b;c\",OT"));
        assertEquals(';', CsvFields.delimiter("\"a,b\";OT;x"));
    }

    @Test
    void quotedFieldsKeepTheirDelimitersAndQuotes() {
        assertEquals(List.of("\"2020-01-01, 00:00\"", "1.5", ""), CsvFields.split("\"2020-01-01, 00:00\",1.5,", ','));
        assertEquals(List.of("a", "1,5"), CsvFields.split("a;1,5", ';'));
        assertEquals("2020-01-01, 00:00", CsvFields.unquote(" \"2020-01-01, 00:00\" "));
        assertEquals("say \"hi\"", CsvFields.unquote("\"say \"\"hi\"\"\""));
        assertEquals("plain", CsvFields.unquote(" plain "));
        assertEquals("\"", CsvFields.unquote("\""));
    }
}
