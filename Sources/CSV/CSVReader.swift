import CLibCSV
import Glibc

/// One record of a CSV file, with where it stands in the file.
///
/// The fields are kept as UTF-8 bytes: hot paths compare and parse them without making strings; `fields`
/// and `field(_:)` make strings when wanted (invalid bytes become U+FFFD; see `hasInvalidEncoding`).
public struct CSVRecord: Sendable {
    /// The bytes of all fields, one after another.
    var storage: [UInt8]
    /// Where each field ends in `storage`.
    var ends: [Int]
    /// 1-based line on which the record starts.
    public var line: Int
    /// 1-based line on which the record ends (differs from `line` only when a quoted field holds a newline).
    public var lastLine: Int
    /// The record's text as it stood in the file (after transcoding to UTF-8), without its line end.
    public var rawBytes: ArraySlice<UInt8>
    /// True when the record's bytes were not valid in the file's encoding (a mixed-encoding file).
    public var hasInvalidEncoding: Bool
    /// True when the file ended inside a quoted field that started on `line`: the record swallowed the rest.
    public var hasUnterminatedQuote: Bool

    /// The number of fields.
    public var fieldCount: Int { ends.count }

    /// The bytes of field `index` (unquoted).
    public func fieldBytes(_ index: Int) -> ArraySlice<UInt8> {
        storage[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }

    /// Field `index` as text.
    public func field(_ index: Int) -> String {
        String(decoding: fieldBytes(index), as: UTF8.self)
    }

    /// All fields as text.
    public var fields: [String] { (0..<ends.count).map(field) }

    /// The raw text of the record, for a person to read in the quarantine.
    public var raw: String { String(decoding: rawBytes, as: UTF8.self) }
}

/// An error that stops reading a CSV file.
public struct CSVError: Error, CustomStringConvertible, Sendable {
    /// The file being read.
    public var path: String
    /// The 1-based line where reading stopped, when known.
    public var line: Int?
    /// What went wrong, in words.
    public var message: String

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}

/// A streaming CSV reader over libcsv.
///
/// The file is read in blocks and fed to `csv_parse` one physical line at a time, which is how records
/// get exact line numbers; memory stays bounded by the block size and the longest record.
/// Input in another encoding is transcoded to UTF-8 with iconv on the way in.
public final class CSVReader {
    /// The file being read.
    public let path: String
    /// The field delimiter.
    public let delimiter: CSVDelimiter
    /// The file's text encoding.
    public let encoding: TextEncoding
    private let blockSize: Int

    /// Opens nothing yet; `forEachRecord` reads the file.
    /// - Parameters:
    ///   - encoding: as found by ``FileSniffer``; `.utf8` by default.
    ///   - blockSize: bytes read at a time (64 KiB – 1 MiB is sensible).
    public init(path: String, delimiter: CSVDelimiter = .comma, encoding: TextEncoding = .utf8,
                blockSize: Int = 256 * 1024) {
        self.path = path
        self.delimiter = delimiter
        self.encoding = encoding
        self.blockSize = max(4096, blockSize)
    }

    /// Reads the whole file, calling `body` for each record in order.
    ///
    /// Blank lines are skipped. `progress` is called after each block with the bytes read so far.
    /// - Throws: ``CSVError`` when the file cannot be read or libcsv fails; whatever `body` throws.
    public func forEachRecord(progress: ((Int) -> Void)? = nil,
                              _ body: (CSVRecord) throws -> Void) throws {
        guard let file = fopen(path, "rb") else {
            throw CSVError(path: path, line: nil, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }

        var parser = csv_parser()
        guard csv_init(&parser, 0) == 0 else {
            throw CSVError(path: path, line: nil, message: "libcsv could not initialise")
        }
        defer { csv_free(&parser) }
        csv_set_delim(&parser, delimiter.byte)
        // Only the space character is trimmed around unquoted fields: a tab may be the delimiter.
        csv_set_space_func(&parser) { $0 == 0x20 ? 1 : 0 }

        let context = ParseContext(validateEncoding: encoding.needsLineValidation)
        let opaque = Unmanaged.passUnretained(context).toOpaque()
        var transcoder = try encoding.sourceEncodingName.map { try Transcoder(from: $0, path: path) }

        var block = [UInt8](repeating: 0, count: blockSize)
        var bytesRead = 0
        var atFileStart = true
        while true {
            let count = block.withUnsafeMutableBytes { fread($0.baseAddress, 1, blockSize, file) }
            if count == 0 {
                if ferror(file) != 0 {
                    throw CSVError(path: path, line: context.currentLine, message: "read error")
                }
                break
            }
            bytesRead += count
            var start = 0
            if atFileStart {
                start = encoding.byteOrderMarkLength(in: block[0..<count])
                atFileStart = false
            }
            if transcoder != nil {
                let utf8 = try transcoder!.convert(block[start..<count], final: false)
                try feed(utf8[...], parser: &parser, context: context, opaque: opaque, body: body)
            } else {
                try feed(block[start..<count], parser: &parser, context: context, opaque: opaque, body: body)
            }
            progress?(bytesRead)
        }
        if transcoder != nil {
            let tail = try transcoder!.convert([][...], final: true)
            try feed(tail[...], parser: &parser, context: context, opaque: opaque, body: body)
        }
        // libcsv reports an open quote at the end only in strict mode, which would also stop on every stray
        // quote; the parser state tells it directly: a field begun inside quotes.
        let fieldBegun: Int32 = 2
        if parser.pstate == fieldBegun && parser.quoted != 0 {
            try context.deliver(body)
            try body(context.unterminatedRecord())
            return
        }
        guard csv_fini(&parser, fieldCallback, rowCallback, opaque) == 0 else {
            throw CSVError(path: path, line: context.currentLine,
                           message: "libcsv: \(String(cString: csv_strerror(csv_error(&parser))))")
        }
        try context.deliver(body)
    }

    /// Feeds bytes to libcsv line by line, so each record knows the lines it spans.
    private func feed(_ bytes: ArraySlice<UInt8>, parser: inout csv_parser, context: ParseContext,
                      opaque: UnsafeMutableRawPointer, body: (CSVRecord) throws -> Void) throws {
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            let total = buffer.count
            while offset < total {
                let remaining = total - offset
                let found = memchr(base + offset, 0x0A, remaining)
                let length = found.map { base.distance(to: UnsafeRawPointer($0)) - offset + 1 } ?? remaining
                let segment = UnsafeRawBufferPointer(start: base + offset, count: length)
                if parser.pstate == 0 && (context.ends.isEmpty || context.recordEnded) && !context.lineIsOpen {
                    context.beginRecord()
                }
                context.lineIsOpen = true
                context.rowRaw.append(contentsOf: segment)
                if context.validateEncoding, !UTF8Validation.isValid(segment) {
                    context.lineHasInvalidEncoding = true
                }
                let parsed = csv_parse(&parser, segment.baseAddress, length, fieldCallback, rowCallback, opaque)
                if parsed != length {
                    throw CSVError(path: path, line: context.currentLine,
                                   message: "libcsv: \(String(cString: csv_strerror(csv_error(&parser))))")
                }
                if found != nil {
                    context.currentLine += 1
                    context.lineIsOpen = false
                }
                offset += length
                if !context.ready.isEmpty { try context.deliver(body) }
            }
        }
    }
}

/// The delimiters rivertrace reads.
public enum CSVDelimiter: UInt8, Sendable, CaseIterable {
    case comma = 0x2C
    case semicolon = 0x3B
    case tab = 0x09

    /// The delimiter's byte.
    public var byte: UInt8 { rawValue }

    /// A name for messages and docs.
    public var name: String {
        switch self {
        case .comma: "comma"
        case .semicolon: "semicolon"
        case .tab: "tab"
        }
    }
}

/// State shared with the C callbacks: the record being built and the records ready to hand out.
private final class ParseContext {
    let validateEncoding: Bool
    var storage: [UInt8] = []
    var ends: [Int] = []
    var rowRaw: [UInt8] = []
    var recordLine = 1
    var currentLine = 1
    var lineIsOpen = false
    var lineHasInvalidEncoding = false
    var ready: [CSVRecord] = []

    init(validateEncoding: Bool) {
        self.validateEncoding = validateEncoding
        rowRaw.reserveCapacity(1024)
    }

    /// The record handed out last still shares `fields` and `rowRaw`; they are cleared when the next record
    /// begins, by which time the consumer has let go, so the buffers are reused instead of reallocated.
    var recordEnded = false

    func beginRecord() {
        rowRaw.removeAll(keepingCapacity: true)
        if recordEnded { clearFields() }
        recordLine = currentLine
        lineHasInvalidEncoding = false
    }

    func appendField(_ pointer: UnsafeMutableRawPointer?, _ length: Int) {
        if recordEnded { clearFields() }
        if let pointer, length > 0 {
            storage.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: length))
        }
        ends.append(storage.count)
    }

    private func clearFields() {
        storage.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        recordEnded = false
    }

    func endRecord() {
        if recordEnded { clearFields() }
        ready.append(CSVRecord(storage: storage, ends: ends, line: recordLine, lastLine: currentLine, rawBytes: trimmedRaw(),
                               hasInvalidEncoding: lineHasInvalidEncoding, hasUnterminatedQuote: false))
        recordEnded = true
        lineHasInvalidEncoding = false
    }

    func unterminatedRecord() -> CSVRecord {
        CSVRecord(storage: [], ends: [], line: recordLine, lastLine: max(recordLine, currentLine - 1),
                  rawBytes: trimmedRaw(), hasInvalidEncoding: lineHasInvalidEncoding, hasUnterminatedQuote: true)
    }

    private func trimmedRaw() -> ArraySlice<UInt8> {
        var end = rowRaw.count
        while end > 0, rowRaw[end - 1] == 0x0A || rowRaw[end - 1] == 0x0D { end -= 1 }
        return rowRaw[0..<end]
    }

    func deliver(_ body: (CSVRecord) throws -> Void) throws {
        defer { ready.removeAll(keepingCapacity: true) }
        for record in ready { try body(record) }
    }
}

private let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = {
    field, length, data in
    Unmanaged<ParseContext>.fromOpaque(data!).takeUnretainedValue().appendField(field, length)
}

private let rowCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, data in
    Unmanaged<ParseContext>.fromOpaque(data!).takeUnretainedValue().endRecord()
}
