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

    public var description: String {
        if let header = missingColumn {
            if header.isEmpty { return "\(path): empty file: expected a header row naming \(column)" }
            return "\(path):\(line): no column \"\(column)\": the header has \(header.joined(separator: ", "))"
        }
        return "\(path):\(line) [\(column)]: \"\(found)\" is not a number (blank cells are missing values)"
    }
}

/// Reads numeric columns of an analyst's plain CSV (first row = header) through libcsv: blanks and the
/// platform's missing markers are missing values.
public enum NumericColumns {
    /// The named columns, in file order; `names` may also be 1-based column numbers.
    /// - Throws: ``CSVError`` when the file cannot be read, ``ColumnError`` for an unknown column or a bad cell.
    public static func read(path: String, names: [String]) throws -> [String: [Double?]] {
        let sniff = try FileSniffer.sniff(path: path)
        var indices: [String: Int] = [:]
        var columns: [String: [Double?]] = [:]
        var header: [String]?
        let parser = ValueParser(sentinels: [])
        try CSVReader(path: path, delimiter: sniff.delimiter, encoding: sniff.encoding).forEachRecord { record in
            guard let known = header else {
                let fields = record.fields.map { String(Substring($0).trimmingSpaces) }
                header = fields
                for name in names {
                    if let index = fields.firstIndex(of: name) {
                        indices[name] = index
                    } else if let number = Int(name), (1...fields.count).contains(number) {
                        indices[name] = number - 1
                    } else {
                        throw ColumnError(path: path, line: record.line, column: name, found: "",
                                          missingColumn: fields)
                    }
                    columns[name] = []
                }
                return
            }
            _ = known
            for (name, index) in indices {
                let cell = index < record.fieldCount ? record.fieldBytes(index) : []
                switch parser.parse(bytes: cell) {
                case .value(let value): columns[name]!.append(value)
                case .missing: columns[name]!.append(nil)
                default:
                    throw ColumnError(path: path, line: record.line, column: name,
                                      found: String(decoding: cell, as: UTF8.self), missingColumn: nil)
                }
            }
        }
        guard header != nil else {
            throw ColumnError(path: path, line: 1, column: names.joined(separator: ", "), found: "", missingColumn: [])
        }
        return columns
    }
}
