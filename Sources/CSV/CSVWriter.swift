import CLibCSV

/// Writes CSV records with libcsv's quoting (`csv_write`): a field is always quoted, quotes doubled.
public struct CSVWriter {
    private let delimiter: CSVDelimiter
    private let spreadsheetSafe: Bool

    /// - Parameters:
    ///   - delimiter: the separator between fields (comma by default).
    ///   - spreadsheetSafe: guard against formula injection (OWASP "CSV Injection") for a file meant to be opened in
    ///     Excel, LibreOffice or WPS: a field whose first character is `=`, `+`, `-`, `@`, tab or carriage return gets
    ///     a leading `'`, unless it is a plain number (`-0.5`, `+3`, `-1e3`). The file then no longer round-trips:
    ///     leave it off for files that are read back.
    public init(delimiter: CSVDelimiter = .comma, spreadsheetSafe: Bool = false) {
        self.delimiter = delimiter
        self.spreadsheetSafe = spreadsheetSafe
    }

    /// One record as a line of CSV text, ending in `\n`.
    public func line(_ fields: [String]) -> String {
        var out: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(delimiter.byte) }
            var source = Array((spreadsheetSafe ? Self.guardingFormula(field) : field).utf8)
            let needed = source.withUnsafeMutableBytes { csv_write(nil, 0, $0.baseAddress, $0.count) }
            var quoted = [UInt8](repeating: 0, count: needed)
            let written = quoted.withUnsafeMutableBytes { dst in
                source.withUnsafeMutableBytes { csv_write(dst.baseAddress, needed, $0.baseAddress, $0.count) }
            }
            out.append(contentsOf: quoted.prefix(written))
        }
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    /// `field`, with a leading `'` when a spreadsheet would run it as a formula.
    static func guardingFormula(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
              field.wholeMatch(of: /[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?/) == nil else { return field }
        return "'" + field
    }
}
