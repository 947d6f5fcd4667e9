package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stackledger.http.Json;

/** The CLI's CSV: server exports read back without the formula guard, and {@code -o csv} writing it again. */
class CsvTest {
  @Test
  void aGuardedCellOfAServerExportReadsBackAsTheNameAndIsGuardedAgainAsCsv() throws Exception {
    List<List<String>> records = Csv.parse("customer,amount\r\n\"'=1+2, Ltd.\",-1.50\r\n'@vm,0\r\n");
    assertThat(records).containsExactly(List.of("customer", "amount"), List.of("=1+2, Ltd.", "-1.50"),
        List.of("@vm", "0"));
    String csv = Output.render(Csv.objects(records), View.columns(records.get(0)), Output.Format.CSV);
    assertThat(csv).isEqualTo("customer,amount\r\n\"'=1+2, Ltd.\",-1.50\r\n'@vm,0\r\n");
    String tsv = Output.render(Csv.objects(records), View.columns(records.get(0)), Output.Format.TSV);
    assertThat(tsv).as("tsv is for scripts, which want the name").isEqualTo("=1+2, Ltd.\t-1.50\n@vm\t0\n");
  }

  @Test
  void aCellFromTheJsonOfAVerbIsGuardedInCsvButANegativeNumberIsNot() throws Exception {
    var rows = Json.MAPPER.readTree("[{\"name\":\"-rg\",\"total\":-3.25},{\"name\":\"+x\",\"total\":1E+2}]");
    assertThat(Output.render(rows, View.derived(), Output.Format.CSV))
        .isEqualTo("name,total\r\n'-rg,-3.25\r\n'+x,100.0\r\n");
  }

  @Test
  void aBrokenServerCsvIsAnErrorNotAGuess() {
    assertThatThrownBy(() -> Csv.parse("a,b\r\n\"open,c\r\n")).isInstanceOf(IOException.class)
        .hasMessageContaining("record 2");
  }
}
