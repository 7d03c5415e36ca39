import CLibCSV
import Glibc

/// Writes a CSV file row by row through a buffer, in UTF-8 (with or without BOM) or GB18030, and moves it
/// into place only when closed, so a reader never sees half a file.
///
/// Fields are quoted with libcsv (`csv_write2`) only when they need it (delimiter, quote, line break, or
/// leading/trailing space); numbers are formatted without allocating.
public final class CSVFileWriter {
    /// Where the finished file goes.
    public let path: String
    private let temporaryPath: String
    private let file: UnsafeMutablePointer<FILE>
    private let delimiter: UInt8
    private let lineEnding: [UInt8]
    private var transcoder: Transcoder?
    private var buffer: [UInt8] = []
    private var fieldsInRow = 0
    private var closed = false

    /// Opens `path + ".part"` for writing.
    /// - Parameters:
    ///   - encoding: `.utf8`, `.utf8WithBOM` or `.gb18030`.
    ///   - crlf: end lines with CR LF (Windows exports) instead of LF.
    public init(path: String, encoding: TextEncoding = .utf8, delimiter: CSVDelimiter = .comma, crlf: Bool = false) throws {
        self.path = path
        temporaryPath = path + ".part"
        guard let file = fopen(temporaryPath, "wb") else {
            throw CSVError(path: path, line: nil, message: "cannot create: \(String(cString: strerror(errno)))")
        }
        self.file = file
        self.delimiter = delimiter.byte
        lineEnding = crlf ? [0x0D, 0x0A] : [0x0A]
        buffer.reserveCapacity(1 << 20)
        switch encoding {
        case .gb18030: transcoder = try Transcoder(from: "UTF-8", to: "GB18030", path: path)
        case .utf8WithBOM: buffer += [0xEF, 0xBB, 0xBF]
        default: break
        }
    }

    deinit {
        if !closed {
            fclose(file)
            unlink(temporaryPath)
        }
    }

    /// Writes one text field, quoting it when needed.
    public func field(_ text: String) {
        separate()
        var needsQuotes = false
        for byte in text.utf8 where byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            break
        }
        if let first = text.utf8.first, first == 0x20 { needsQuotes = true }
        if let last = text.utf8.last, last == 0x20 { needsQuotes = true }
        guard needsQuotes else {
            buffer.append(contentsOf: text.utf8)
            return
        }
        var source = Array(text.utf8)
        let needed = source.withUnsafeMutableBytes { csv_write2(nil, 0, $0.baseAddress, $0.count, 0x22) }
        var quoted = [UInt8](repeating: 0, count: needed)
        let written = quoted.withUnsafeMutableBytes { dst in
            source.withUnsafeMutableBytes { csv_write2(dst.baseAddress, needed, $0.baseAddress, $0.count, 0x22) }
        }
        buffer.append(contentsOf: quoted.prefix(written))
    }

    /// Writes a number with a fixed number of decimals (0…6), rounding half away from zero.
    public func field(_ value: Double, decimals: Int) {
        separate()
        guard value.isFinite else {
            buffer.append(contentsOf: "nan".utf8)
            return
        }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else {
            buffer.append(contentsOf: String(value).utf8)
            return
        }
        var integer = Int64(scaled)
        if value < 0 && integer != 0 { buffer.append(0x2D) }
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        repeat {
            digits.append(UInt8(0x30 + integer % 10))
            integer /= 10
        } while integer > 0
        while digits.count <= decimals { digits.append(0x30) }
        for index in stride(from: digits.count - 1, through: 0, by: -1) {
            buffer.append(digits[index])
            if index == decimals && decimals > 0 { buffer.append(0x2E) }
        }
    }

    /// Writes an empty field.
    public func emptyField() {
        separate()
    }

    /// Ends the current row.
    public func endRow() throws {
        buffer.append(contentsOf: lineEnding)
        fieldsInRow = 0
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes bytes as they are (for deliberately malformed rows in synthetic dumps).
    public func rawLine(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        buffer.append(contentsOf: lineEnding)
        fieldsInRow = 0
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Flushes, closes and renames the file into place.
    public func close() throws {
        try flush()
        closed = true
        guard fclose(file) == 0 else { throw CSVError(path: path, line: nil, message: "write failed") }
        guard rename(temporaryPath, path) == 0 else {
            throw CSVError(path: path, line: nil, message: "cannot rename into place: \(String(cString: strerror(errno)))")
        }
    }

    private func separate() {
        if fieldsInRow > 0 { buffer.append(delimiter) }
        fieldsInRow += 1
    }

    private func flush() throws {
        var out = buffer
        if transcoder != nil { out = try transcoder!.convert(buffer[...], final: false) }
        let written = out.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == out.count else { throw CSVError(path: path, line: nil, message: "write failed (disk full?)") }
        buffer.removeAll(keepingCapacity: true)
    }
}
