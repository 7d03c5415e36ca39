import CSV
import Testing

/// The spreadsheet guard (OWASP, "CSV Injection"): a cell that Excel, LibreOffice or WPS would read as a formula
/// (first character `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`; plain numbers stay numbers.
/// Expected lines written by hand: libcsv quotes every field and doubles quotes.
@Suite("CSV writer")
struct CSVWriterTests {
    @Test("cells a spreadsheet would run as a formula get a leading '", arguments: [
        ("=1+1", "\"'=1+1\""), ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("+1+1", "\"'+1+1\""), ("-2+3", "\"'-2+3\""), ("@SUM(A1)", "\"'@SUM(A1)\""), ("\t=1", "\"'\t=1\""),
        ("\r=1", "\"'\r=1\""), ("-", "\"'-\""), ("+", "\"'+\""), ("-cmd|' /C calc'!A0", "\"'-cmd|' /C calc'!A0\""),
    ])
    func guarded(_ cell: String, expected: String) {
        #expect(CSVWriter(spreadsheetSafe: true).line([cell]) == expected + "\n")
    }

    @Test("plain numbers, text and empty cells are written as they are", arguments: [
        "-0.5", "+3", "-999", "-1e3", "1.5E-2", "0", "李大河", "M-01", "a=b", "", "'quoted", " =1",
    ])
    func unchanged(_ cell: String) {
        #expect(CSVWriter(spreadsheetSafe: true).line([cell]) == "\"" + cell + "\"\n")
    }

    @Test("without the guard a formula cell is written as it is")
    func unguarded() {
        #expect(CSVWriter().line(["=1+1", "-2+3"]) == "\"=1+1\",\"-2+3\"\n")
    }
}
