package org.stackledger.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV files of the program, both ways: RFC 4180 quoting, CRLF, typed cells and the formula guard. */
class CsvFileTest {
  private static final List<String> HEADER = List.of("name", "amount", "note");

  @Test
  void aCellIsQuotedOnlyWhenItHoldsACommaAQuoteOrALineBreakAndLinesEndInCrlf() {
    String text = CsvFile.text(HEADER, List.of(
        List.of("plain text", new BigDecimal("1.50"), ""),
        List.of("Contoso, Ltd.", new BigDecimal("-0.25"), "say \"hi\""),
        List.of("line\nbreak", 3, "carriage\rreturn"),
        CsvFile.row(" spaced ", null, "tab\tinside")));
    assertThat(text).isEqualTo("name,amount,note\r\n"
        + "plain text,1.50,\r\n"
        + "\"Contoso, Ltd.\",-0.25,\"say \"\"hi\"\"\"\r\n"
        + "\"line\nbreak\",3,\"carriage\rreturn\"\r\n"
        + " spaced ,,tab\tinside\r\n");
  }

  @Test
  void aNumberCellIsAPlainDecimalAndNeverGuarded() {
    String text = CsvFile.text(List.of("a", "b", "c", "d"),
        List.of(List.of(new BigDecimal("-1E+2"), new BigDecimal("-0.000000000000000001"), -730, -5L)));
    assertThat(text).endsWith("\r\n-100,-0.000000000000000001,-730,-5\r\n");
  }

  @Test
  void aTextCellThatWouldRunAsAFormulaIsWrittenAsTextAndReadBackAsItWas() {
    List<String> dangerous = List.of("=HYPERLINK(\"http://evil.example\",\"open\")", "+1+2", "-1+2", "@SUM(A1)",
        "\t=1", "\r=1", "'=already quoted", "-1.50");
    String text = CsvFile.text(List.of("cell"), dangerous.stream().map(List::of).toList());
    assertThat(text.split("\r\n", -1)).containsExactly("cell",
        "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"open\"\")\"", "'+1+2", "'-1+2", "'@SUM(A1)", "'\t=1",
        "\"'\r=1\"", "''=already quoted", "-1.50", "");
    CsvFile.Reading reading = CsvFile.read(text);
    assertThat(reading.fault()).isNull();
    assertThat(reading.records().stream().skip(1).map(r -> r.cells().get(0)).toList()).isEqualTo(dangerous);
  }

  @Test
  void instantsAndBooleansAreTextThatNeedsNoGuard() {
    assertThat(CsvFile.text(List.of("at", "flag"), List.of(List.of(Instant.parse("2026-11-01T00:00:00Z"), false))))
        .isEqualTo("at,flag\r\n2026-11-01T00:00:00Z,false\r\n");
  }

  @Test
  void readingCountsEveryRecordBlankLinesIncludedAndSkipsTheBlankOnes() {
    CsvFile.Reading reading = CsvFile.read("\uFEFFa,b\n\r\n\"multi\nline\",x\r  \r\nc,\n");
    assertThat(reading.fault()).isNull();
    assertThat(reading.records()).containsExactly(new CsvFile.Record(1, List.of("a", "b")),
        new CsvFile.Record(3, List.of("multi\nline", "x")), new CsvFile.Record(5, List.of("c", "")));
    assertThat(CsvFile.read("").records()).isEmpty();
    assertThat(CsvFile.read("last,line").records()).containsExactly(new CsvFile.Record(1, List.of("last", "line")));
  }

  @Test
  void aQuoteLeftOpenOrTextAfterAClosingQuoteEndsTheReadingAtItsRecord() {
    CsvFile.Reading open = CsvFile.read("h\r\nok\r\n\r\nx,\"open\r\nmore\r\n");
    assertThat(open.records()).extracting(CsvFile.Record::number).containsExactly(1, 2);
    assertThat(open.fault()).isEqualTo(new CsvFile.Fault(4, "a quoted field is not closed before the end of the file."));
    CsvFile.Reading after = CsvFile.read("h\r\nx,\"a\"b,c\r\nnever read\r\n");
    assertThat(after.records()).extracting(CsvFile.Record::number).containsExactly(1);
    assertThat(after.fault().number()).isEqualTo(2);
    assertThat(after.fault().message()).startsWith("text follows a quoted field's closing quote");
    // A quote inside an unquoted cell is text, as the spreadsheets that write such files mean it.
    assertThat(CsvFile.read("a\"b,c").records().get(0).cells()).containsExactly("a\"b", "c");
  }

  @Test
  void theWriterIsLeftOpenForItsOwner() throws Exception {
    java.io.StringWriter out = new java.io.StringWriter();
    CsvFile.write(out, List.of("a"), List.of(List.of("1")));
    out.write("after");
    assertThat(out.toString()).isEqualTo("a\r\n1\r\nafter");
  }
}
