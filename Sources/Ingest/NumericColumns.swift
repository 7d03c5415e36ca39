import CSV
import Foundation

/// A cell of a plain CSV that is neither a number nor blank.
public struct ColumnError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var line: Int
    public var column: String
    public var found: String
    /// Set when the column is not in the header: the header's names.
    public var missingColumn: [String]?
    /// What the cell should have been, when not a plain number.
    public var expected: String?

    public var description: String {
        if let header = missingColumn {
            if header.isEmpty { return "\(path): empty file: expected a header row naming \(column)" }
            return "\(path):\(line): no column \"\(column)\": the header has \(header.joined(separator: ", "))"
        }
        return "\(path):\(line) [\(column)]: \"\(found)\" " + (expected ?? "is not a number (blank cells are missing values)")
    }
}

/// Reads numeric columns of an analyst's plain CSV (first row = header) through libcsv: blank cells, blank lines
/// and the platform's missing markers are missing values, each in its row's position.
public enum NumericColumns {
    /// The named columns, in file order; `names` may also be 1-based column numbers.
    /// - Throws: ``CSVError`` when the file cannot be read, ``ColumnError`` for an unknown column or a bad cell.
    public static func read(path: String, names: [String]) throws -> [String: [Double?]] {
        var columns: [String: [Double?]] = Dictionary(uniqueKeysWithValues: names.map { ($0, []) })
        try forEachCell(path: path, names: names) { name, line, cell, outcome in
            columns[name]!.append(try number(outcome, path: path, line: line, column: name, cell: cell).get())
        }
        return columns
    }

    /// A cell as a number of a plain numeric column: the value, nil when missing, or the error naming the cell.
    private static func number(_ outcome: ValueParser.Outcome, path: String, line: Int, column: String,
                               cell: ArraySlice<UInt8>) -> Result<Double?, ColumnError> {
        switch outcome {
        case .value(let value): return .success(value)
        case .missing: return .success(nil)
        case .censored:
            return .failure(ColumnError(path: path, line: line, column: column, found: String(decoding: cell, as: UTF8.self),
                                        missingColumn: nil,
                                        expected: "is below a detection limit: use --test censored (or censored-seasonal), which compares such values instead of guessing them"))
        default:
            return .failure(ColumnError(path: path, line: line, column: column, found: String(decoding: cell, as: UTF8.self),
                                        missingColumn: nil))
        }
    }

    /// Every column of the file but those in `excluding` (names or 1-based numbers), in file order, read as ``read(path:names:)`` reads one, in
    /// one pass: a column with a cell that is neither a number nor missing gets the ``ColumnError`` of its first such
    /// cell instead of values, and the other columns are read on. Columns without a name are named by their number;
    /// of two with the same name, the first.
    /// - Throws: ``CSVError`` when the file cannot be read, ``ColumnError`` when it has no header.
    public static func readEach(path: String, excluding: Set<String> = []) throws
        -> [(name: String, values: Result<[Double?], ColumnError>)] {
        var names: [String] = []
        var values: [String: [Double?]] = [:]
        var failures: [String: ColumnError] = [:]
        try forEachCell(path: path, names: nil, excluding: excluding) { name, line, cell, outcome in
            if values[name] == nil, failures[name] == nil {
                names.append(name)
                values[name] = []
            }
            guard failures[name] == nil else { return }
            switch number(outcome, path: path, line: line, column: name, cell: cell) {
            case .success(let value): values[name]!.append(value)
            case .failure(let error):
                failures[name] = error
                values[name] = nil
            }
        }
        return names.map { name in (name, failures[name].map { .failure($0) } ?? .success(values[name]!)) }
    }

    /// One column whose cells may be censored (`<0.05`, `0.05L`, `ND(0.05)`, …): the value, or the detection
    /// limit with its flag set; blanks and missing markers are nil (and not censored).
    /// - Throws: ``ColumnError`` also for a censored cell without its limit (`ND`, `<DL`): the test needs it.
    public static func readCensored(path: String, name: String) throws -> CensoredColumn {
        var column = CensoredColumn(values: [], censored: [])
        try forEachCell(path: path, names: [name]) { name, line, cell, outcome in
            switch outcome {
            case .value(let value): column.append(value, censored: false)
            case .missing: column.append(nil, censored: false)
            case .censored(let limit?): column.append(limit, censored: true)
            case .censored(nil):
                throw ColumnError(path: path, line: line, column: name, found: String(decoding: cell, as: UTF8.self),
                                  missingColumn: nil,
                                  expected: "gives no detection limit: write it, as <0.05 or ND(0.05)")
            default:
                throw ColumnError(path: path, line: line, column: name, found: String(decoding: cell, as: UTF8.self),
                                  missingColumn: nil,
                                  expected: "is neither a number nor a censored value such as <0.05 (blank cells are missing values)")
            }
        }
        return column
    }

    /// A column of times (`2026-07-01`, `2026/7/1 14:00`, ISO 8601 …, read as `TimeParser` reads dumps, in
    /// `timeZone`); blanks are nil.
    /// - Throws: ``ColumnError`` for a cell that is not a time with its year.
    public static func readTimes(path: String, name: String, timeZone: TimeZone) throws -> [Date?] {
        var times: [Date?] = []
        let parser = TimeParser(timeZone: timeZone, defaultYear: nil)
        try forEachCell(path: path, names: [name]) { name, line, cell, outcome in
            let text = String(decoding: cell, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if case .missing = outcome, text.isEmpty || text == "--" || text == "*" {
                times.append(nil)
                return
            }
            guard case .time(let date) = parser.parse(text) else {
                throw ColumnError(path: path, line: line, column: name, found: text, missingColumn: nil,
                                  expected: "is not a time with its year, such as 2026-07-01 or 2026/7/1 14:00")
            }
            times.append(date)
        }
        return times
    }

    /// Calls `body` with each data cell of the named columns, parsed, row by row in file order.
    ///
    /// A row is a position in the series, so a blank line between the header and the last row is a row of missing
    /// cells (a one-column export writes an empty cell as an empty line): every value keeps its position, as
    /// pyMannKendall keeps a NaN in place. libcsv does not report empty lines (nor lines of spaces); they show as a
    /// jump in the records' line numbers, so the CSV reader's hot path stays as it is. Blank lines before the
    /// header and after the last row are not rows: a missing value after the last one changes no test.
    /// - Parameter names: nil for every column of the header but those in `excluding`.
    private static func forEachCell(path: String, names: [String]?, excluding: Set<String> = [],
                                    _ body: (String, Int, ArraySlice<UInt8>, ValueParser.Outcome) throws -> Void) throws {
        let file = try InputFile(path: path)
        let sniff = try FileSniffer.sniff(file: file)
        var indices: [(name: String, index: Int)] = []
        var header: [String]?
        var lastLine = 0
        let parser = ValueParser(sentinels: [])
        try CSVReader(file: file, sniff: sniff).forEachRecord { record in
            defer { lastLine = record.lastLine }
            guard header != nil else {
                let fields = record.fields.map { String(Substring($0).trimmingSpaces) }
                header = fields
                // Excluded by name or by number.
                let names = names ?? fields.indices.filter { !excluding.contains(fields[$0]) && !excluding.contains(String($0 + 1)) }
                    .map { fields[$0].isEmpty ? String($0 + 1) : fields[$0] }
                for name in names where !indices.contains(where: { $0.name == name }) {
                    if let index = fields.firstIndex(of: name) {
                        indices.append((name, index))
                    } else if let number = Int(name), (1...fields.count).contains(number) {
                        indices.append((name, number - 1))
                    } else {
                        throw ColumnError(path: path, line: record.line, column: name, found: "",
                                          missingColumn: fields)
                    }
                }
                return
            }
            for blankLine in (lastLine + 1)..<max(lastLine + 1, record.line) {
                for (name, _) in indices { try body(name, blankLine, [], .missing) }
            }
            for (name, index) in indices {
                let cell = index < record.fieldCount ? record.fieldBytes(index) : []
                try body(name, record.line, cell, parser.parse(bytes: cell))
            }
        }
        guard header != nil else {
            throw ColumnError(path: path, line: 1, column: names?.joined(separator: ", ") ?? "", found: "", missingColumn: [])
        }
    }
}

/// A column of possibly censored values: `values[i]` is the detection limit when `censored[i]`.
public struct CensoredColumn: Sendable, Equatable {
    public var values: [Double?]
    public var censored: [Bool]

    mutating func append(_ value: Double?, censored flag: Bool) {
        values.append(value)
        censored.append(flag)
    }
}
