import Foundation
import Trace

extension AnalysisDocument {
    /// The encoder of `analyze --json`: indented, keys sorted, dates in ISO 8601, slashes as they are.
    public static var jsonEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Writes the document as ``jsonEncoder`` encodes it, byte for byte, but its long lists a few hundred elements at a
    /// time: memory holds their encoding, not the whole document's (a decade's document is tens of megabytes, and the
    /// encoder builds a tree of it several times that size before it writes a byte). Should `output` fail midway, what
    /// was written is a truncated document and the error is thrown.
    /// - Parameter output: called with successive pieces of the text (about a megabyte each), the last ending with a
    ///   newline.
    public func writeJSON(_ output: (Data) throws -> Void) throws {
        var buffer = Data()
        func write(_ piece: Data) throws {
            buffer.append(piece)
            if buffer.count >= 1 << 20 {
                try output(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        let encoder = Self.jsonEncoder
        let streamed: [CodingKeys] = [.points, .exceedances, .faults, .events, .trends, .traces, .incidents]
        let shell = try encoder.encode(Shell(document: self, leftOut: Set(streamed)))
        // Each list left out is an empty array in the shell, its key at the first level (indented by two spaces).
        let placeholders = streamed.compactMap { key in
            shell.range(of: Data("\n  \"\(key.stringValue)\" : [\n\n  ]".utf8)).map { (key, $0) }
        }.sorted { $0.1.lowerBound < $1.1.lowerBound }
        guard placeholders.count == streamed.count else {
            throw EncodingError.invalidValue(self, .init(codingPath: [], debugDescription: "a list's place not found in the JSON"))
        }
        var written = shell.startIndex
        for (key, range) in placeholders {
            try write(shell[written..<range.lowerBound])
            written = range.upperBound
            try write(Data("\n  \"\(key.stringValue)\" : [".utf8))
            switch key {
            case .points: try writeElements(points, encoder: encoder, write)
            case .exceedances: try writeElements(exceedances, encoder: encoder, write)
            case .faults: try writeElements(faults, encoder: encoder, write)
            case .events: try writeElements(events, encoder: encoder, write)
            case .trends: try writeElements(trends, encoder: encoder, write)
            case .traces: try writeElements(traces, encoder: encoder, write)
            default: try writeElements(incidentRecords, encoder: encoder, write)
            }
            try write(Data("\n  ]".utf8))
        }
        try output(buffer + shell[written...] + Data("\n".utf8))
    }

    /// The elements of a list at the document's first level, as the encoder indents them there (four spaces), a few
    /// hundred at a time (one encoder call each: a call per element cost a tenth of a year's JSON time); an empty list
    /// as the encoder writes it (a blank line).
    private func writeElements<Element: Encodable>(_ elements: [Element], encoder: JSONEncoder,
                                                   _ write: (Data) throws -> Void) throws {
        guard !elements.isEmpty else { return try write(Data("\n".utf8)) }
        let newline = UInt8(ascii: "\n")
        for first in stride(from: 0, to: elements.count, by: 256) {
            // A list encoded alone: "[\n", its elements indented by two spaces and separated by ",\n", "\n]".
            let encoded = try encoder.encode(Array(elements[first..<min(elements.count, first + 256)]))
            var indented = [UInt8]()
            indented.reserveCapacity(encoded.count + encoded.count / 4)
            if first > 0 { indented.append(UInt8(ascii: ",")) }
            encoded.withUnsafeBytes { bytes in
                // Every line but the brackets' two, two spaces deeper. Strings in JSON hold no raw newline; the
                // encoder leaves the blank line of an empty list unindented, and so does this.
                let lines = bytes[1..<(bytes.count - 2)].split(separator: newline, omittingEmptySubsequences: false)
                for line in lines.dropFirst() {
                    indented.append(newline)
                    if !line.isEmpty { indented.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: " ")]) }
                    indented.append(contentsOf: line)
                }
            }
            try write(Data(indented))
        }
    }
}

/// The document with some lists empty, encoded as the document is.
private struct Shell: Encodable {
    let document: AnalysisDocument
    let leftOut: Set<AnalysisDocument.CodingKeys>

    func encode(to encoder: any Encoder) throws {
        try document.encode(to: encoder, leavingOut: leftOut)
    }
}
