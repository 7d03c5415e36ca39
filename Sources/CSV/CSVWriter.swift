import CLibCSV

/// Writes CSV records with libcsv's quoting (`csv_write`): a field is always quoted, quotes doubled.
public struct CSVWriter {
    private let delimiter: CSVDelimiter

    /// - Parameter delimiter: the separator between fields (comma by default).
    public init(delimiter: CSVDelimiter = .comma) {
        self.delimiter = delimiter
    }

    /// One record as a line of CSV text, ending in `\n`.
    public func line(_ fields: [String]) -> String {
        var out: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(delimiter.byte) }
            var source = Array(field.utf8)
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
}
