import CLibCSV
import Glibc

/// One record of a CSV file, with where it stands in the file.
///
/// The fields are kept as UTF-8 bytes: hot paths compare and parse them without making strings; `fields`
/// and `field(_:)` make strings when wanted (invalid bytes become U+FFFD; see `hasInvalidEncoding`).
public struct CSVRecord: Sendable {
    /// The bytes of all fields, one after another.
    @usableFromInline var storage: [UInt8]
    /// Where each field ends in `storage`.
    @usableFromInline var ends: [Int]
    /// 1-based line on which the record starts.
    public var line: Int
    /// 1-based line on which the record ends (differs from `line` only when a quoted field holds a newline).
    public var lastLine: Int
    /// The record's text as it stood in the file (after transcoding to UTF-8), without its line end; at most
    /// ``CSVLimits/maxRawBytes`` of it as text (see `raw` and `rawByteCount`), cut between characters.
    public var rawBytes: ArraySlice<UInt8>
    /// The length of the record's whole text in bytes, also when `rawBytes` holds only its start.
    public var rawByteCount: Int
    /// True when the record's bytes were not valid in the file's encoding (a mixed-encoding file).
    public var hasInvalidEncoding: Bool
    /// True when the file ended inside a quoted field that started on `line`: the record swallowed the rest.
    public var hasUnterminatedQuote: Bool
    /// The first NUL or control byte (not tab, CR or LF) in the record's lines, when there is one: a damaged line.
    public var controlByte: UInt8?
    /// Set when a field or the record is longer than the reader's limits: the record has no fields then.
    public var overflow: CSVOverflow?

    /// The number of fields.
    @inlinable public var fieldCount: Int { ends.count }

    /// The bytes of field `index` (unquoted).
    @inlinable public func fieldBytes(_ index: Int) -> ArraySlice<UInt8> {
        storage[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }

    /// Field `index` as text.
    public func field(_ index: Int) -> String {
        String(decoding: fieldBytes(index), as: UTF8.self)
    }

    /// All fields as text.
    public var fields: [String] { (0..<ends.count).map(field) }

    /// The raw text of the record (or its start, see `rawIsTruncated`), for a person to read in the quarantine:
    /// at most ``CSVLimits/maxRawBytes`` bytes of UTF-8. A byte that is not UTF-8 shows as U+FFFD (three bytes), so
    /// a row of such bytes keeps fewer of them.
    public var raw: String { String(decoding: rawBytes, as: UTF8.self) }

    /// True when `raw` holds only the start of the record.
    public var rawIsTruncated: Bool { rawBytes.count < rawByteCount }
}

/// A field or a record too long to be a reading: its bytes are not kept (so a 200 MB line costs no memory).
public enum CSVOverflow: Sendable, Equatable {
    /// Field `index` (0-based) is `byteCount` bytes long, more than ``CSVLimits/maxFieldBytes``.
    case field(index: Int, byteCount: Int)
    /// The record is `byteCount` bytes long, more than ``CSVLimits/maxRecordBytes``.
    case record(byteCount: Int)
}

/// How long fields and records may be. Readings cells are short; a longer field is a broken file (a lost
/// closing quote, binary data), and keeping it would cost memory and time for nothing.
public struct CSVLimits: Sendable, Equatable {
    /// The longest field, in UTF-8 bytes.
    public var maxFieldBytes: Int
    /// The longest record, in UTF-8 bytes over all its lines (a 100,000-column header is about 1 MB).
    public var maxRecordBytes: Int
    /// How much of a record's raw text is kept for the quarantine, in UTF-8 bytes of the text stored.
    public var maxRawBytes: Int

    public init(maxFieldBytes: Int = 65_536, maxRecordBytes: Int = 4_194_304, maxRawBytes: Int = 16_384) {
        self.maxFieldBytes = maxFieldBytes
        self.maxRecordBytes = maxRecordBytes
        self.maxRawBytes = maxRawBytes
    }

    /// 64 KiB a field, 4 MiB a record, the first 16 KiB of a record's raw text kept (docs/formats.md).
    public static let standard = CSVLimits()
}

/// An error that stops reading a CSV file.
public struct CSVError: Error, CustomStringConvertible, Sendable {
    /// The file being read.
    public var path: String
    /// The 1-based line where reading stopped, when known.
    public var line: Int?
    /// What went wrong, in words.
    public var message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}

/// A streaming CSV reader over libcsv.
///
/// The file is read in blocks and fed to `csv_parse` one physical line at a time, which is how records
/// get exact line numbers; memory stays bounded by the block size and ``CSVLimits``, whatever the file holds.
/// Input in another encoding is transcoded to UTF-8 with iconv on the way in.
public final class CSVReader {
    /// The file being read.
    public let path: String
    /// The field delimiter.
    public let delimiter: CSVDelimiter
    /// The file's text encoding.
    public let encoding: TextEncoding
    /// The byte that ends most lines: LF (also for CRLF files), or CR in files from old spreadsheet programs.
    public let lineEnding: LineEnding
    /// Whether lines may also end at a lone CR (LF, CRLF and lone CR are all line ends then); without, only LF is
    /// looked for (the fast path for the usual LF and CRLF files).
    public let splitsLoneCarriageReturns: Bool
    /// The longest field and record accepted.
    public let limits: CSVLimits
    /// Whether lines are checked for NUL and control bytes (the sniffer found some in the file).
    public let checksControlBytes: Bool
    /// After reading: true when the file's last line has its line end (a file cut short usually has none).
    public private(set) var lastLineEnded = true
    private let blockSize: Int
    private let file: InputFile?

    /// Opens nothing yet; `forEachRecord` opens and reads the file.
    /// - Parameters:
    ///   - encoding: as found by ``FileSniffer``; `.utf8` by default.
    ///   - blockSize: bytes read at a time (64 KiB – 1 MiB is sensible).
    public init(path: String, delimiter: CSVDelimiter = .comma, encoding: TextEncoding = .utf8,
                lineEnding: LineEnding = .lineFeed, limits: CSVLimits = .standard, blockSize: Int = 256 * 1024) {
        self.path = path
        self.file = nil
        self.delimiter = delimiter
        self.encoding = encoding
        self.lineEnding = lineEnding
        self.splitsLoneCarriageReturns = true
        self.limits = limits
        self.checksControlBytes = true
        self.blockSize = max(4096, blockSize)
    }

    /// Reads an open file, as ``FileSniffer`` described it.
    public init(file: InputFile, sniff: FileSniff, limits: CSVLimits = .standard, blockSize: Int = 256 * 1024) {
        self.path = file.path
        self.file = file
        self.delimiter = sniff.delimiter
        self.encoding = sniff.encoding
        self.lineEnding = sniff.lineEnding
        self.splitsLoneCarriageReturns = sniff.hasLoneCarriageReturns
        self.limits = limits
        self.checksControlBytes = sniff.hasControlBytes
        self.blockSize = max(4096, blockSize)
    }

    /// Reads the whole file, calling `body` for each record in order.
    ///
    /// Blank lines are skipped. `progress` is called after each block with the bytes read so far; `observe`
    /// sees every block of the file's bytes as read (before transcoding), e.g. to hash exactly what was parsed.
    /// - Throws: ``InputFileError`` when the file cannot be read; ``CSVError`` when libcsv fails; whatever
    ///   `body` throws.
    public func forEachRecord(progress: ((Int) -> Void)? = nil, observe: ((ArraySlice<UInt8>) -> Void)? = nil,
                              _ body: (CSVRecord) throws -> Void) throws {
        let file = try self.file ?? InputFile(path: path)

        var parser = csv_parser()
        guard csv_init(&parser, 0) == 0 else {
            throw CSVError(path: path, line: nil, message: "libcsv could not initialise")
        }
        defer { csv_free(&parser) }
        csv_set_delim(&parser, delimiter.byte)
        // Only the space character is trimmed around unquoted fields: a tab may be the delimiter.
        csv_set_space_func(&parser) { $0 == 0x20 ? 1 : 0 }
        // libcsv grows a field's buffer by this many bytes at a time (128 by default: quadratic on long fields).
        csv_set_blk_size(&parser, 16 * 1024)

        let context = ParseContext(validateEncoding: encoding.needsLineValidation, checkControlBytes: checksControlBytes,
                                   limits: limits)
        let opaque = Unmanaged.passUnretained(context).toOpaque()
        let transcoder = try encoding.sourceEncodingName.map { try Transcoder(from: $0, path: path) }

        var bytesRead = 0
        try file.forEachBlock(blockSize: blockSize) { block in
            observe?(block)
            var start = block.startIndex
            if bytesRead == 0 { start += encoding.byteOrderMarkLength(in: block) }
            bytesRead += block.count
            if let transcoder {
                let utf8 = try transcoder.convert(block[start...], final: false)
                try feed(utf8[...], parser: &parser, context: context, opaque: opaque, body: body)
            } else {
                try feed(block[start...], parser: &parser, context: context, opaque: opaque, body: body)
            }
            progress?(bytesRead)
        }
        if let transcoder {
            let tail = try transcoder.convert([][...], final: true)
            try feed(tail[...], parser: &parser, context: context, opaque: opaque, body: body)
        }
        // libcsv reports an open quote at the end only in strict mode, which would also stop on every stray
        // quote; the parser state tells it directly: a field begun inside quotes.
        let fieldBegun: Int32 = 2
        if parser.pstate == fieldBegun && parser.quoted != 0 {
            lastLineEnded = true  // the unterminated quote is the finding; the line end is beside the point
            try context.deliver(body)
            try body(context.unterminatedRecord())
            return
        }
        lastLineEnded = bytesRead == 0 || lastByte == 0x0A || lastByte == 0x0D
        guard csv_fini(&parser, fieldCallback, rowCallback, opaque) == 0 else {
            throw CSVError(path: path, line: context.currentLine,
                           message: "libcsv: \(String(cString: csv_strerror(csv_error(&parser))))")
        }
        try context.deliver(body)
    }

    /// The last byte fed to libcsv (UTF-8), for `lastLineEnded`.
    @exclusivity(unchecked) private var lastByte: UInt8 = 0

    /// The next line of `buffer` from `offset`: its length, terminator included, and how it ends. LF ends a line
    /// (CRLF too, the CR being part of it); with `splitsLoneCarriageReturns`, so may a lone CR.
    private func nextLine(_ buffer: UnsafeRawBufferPointer, from offset: Int) -> (length: Int, end: LineEnd) {
        let base = buffer.baseAddress!
        let remaining = buffer.count - offset
        guard splitsLoneCarriageReturns else {
            let found = memchr(base + offset, 0x0A, remaining)
            return found.map { (base.distance(to: UnsafeRawPointer($0)) - offset + 1, .lineFeed) } ?? (remaining, .none)
        }
        var index = offset
        while index < buffer.count {
            switch buffer[index] {
            case 0x0A:
                return (index - offset + 1, .lineFeed)
            case 0x0D where index + 1 < buffer.count:
                if buffer[index + 1] == 0x0A { return (index - offset + 2, .lineFeed) }
                return (index - offset + 1, .carriageReturn)
            case 0x0D:
                return (index - offset + 1, .carriageReturnAtEnd)
            default:
                index += 1
            }
        }
        return (remaining, .none)
    }

    /// How a piece of input handed to libcsv ends.
    private enum LineEnd {
        /// LF (or CRLF): the line ends.
        case lineFeed
        /// A lone CR: the line ends where libcsv ends a row there (not inside a quoted field).
        case carriageReturn
        /// A CR at the end of the bytes read so far: an LF may follow in the next block (CRLF).
        case carriageReturnAtEnd
        /// No line end: the line goes on in the next block.
        case none
    }

    /// Feeds bytes to libcsv line by line, so each record knows the lines it spans.
    private func feed(_ bytes: ArraySlice<UInt8>, parser: inout csv_parser, context: ParseContext,
                      opaque: UnsafeMutableRawPointer, body: (CSVRecord) throws -> Void) throws {
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            let total = buffer.count
            // The LF of a CRLF split by a block boundary: the line already ended at its CR, but the LF is still
            // the record's text (inside quotes it is part of a field), as when the CRLF comes whole.
            if context.lineFeedMayFollow, total > 0, buffer[0] == 0x0A {
                context.appendRaw(UnsafeRawBufferPointer(start: base, count: 1))
                lastByte = 0x0A
                guard csv_parse(&parser, base, 1, fieldCallback, rowCallback, opaque) == 1 else {
                    throw CSVError(path: path, line: context.currentLine,
                                   message: "libcsv: \(String(cString: csv_strerror(csv_error(&parser))))")
                }
                offset = 1
            }
            context.lineFeedMayFollow = false
            while offset < total {
                let (length, end) = nextLine(buffer, from: offset)
                let segment = UnsafeRawBufferPointer(start: base + offset, count: length)
                if parser.pstate == 0 && (context.fieldsInRecord == 0 || context.recordEnded) && !context.lineIsOpen {
                    context.beginRecord()
                }
                context.lineIsOpen = true
                context.appendRaw(segment)
                if context.validateEncoding { context.validate(segment, lineEnds: end != .none) }
                if context.checkControlBytes, context.controlByte == nil,
                   let byte = segment.first(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
                    context.controlByte = byte
                }
                lastByte = segment[length - 1]
                let parsed = csv_parse(&parser, segment.baseAddress, length, fieldCallback, rowCallback, opaque)
                if parsed != length {
                    throw CSVError(path: path, line: context.currentLine,
                                   message: "libcsv: \(String(cString: csv_strerror(csv_error(&parser))))")
                }
                // A field longer than the limit is dropped as it grows: libcsv's buffer never holds more than the
                // limit plus one segment. Its fields (entry_pos, spaces) are read back at the next csv_parse.
                if parser.entry_pos > limits.maxFieldBytes {
                    context.dropFieldInProgress(byteCount: parser.entry_pos)
                    parser.entry_pos = 0
                    parser.spaces = 0
                }
                // A lone CR ends a line where it ends a row; inside a quoted field it is one only in a file whose lines
                // end at CRs (as an LF inside quotes is a line of an LF file).
                let fieldBegun: Int32 = 2
                let insideQuotes = parser.pstate == fieldBegun && parser.quoted != 0
                if end == .lineFeed || (end != .none && (!insideQuotes || lineEnding == .carriageReturn)) {
                    context.currentLine += 1
                    context.lineIsOpen = false
                    context.lineFeedMayFollow = end == .carriageReturnAtEnd
                }
                offset += length
                if !context.ready.isEmpty { try context.deliver(body) }
            }
        }
    }
}

/// The byte that ends a line.
public enum LineEnding: UInt8, Sendable {
    /// `\n`, and `\r\n` (the `\r` is trimmed).
    case lineFeed = 0x0A
    /// A lone `\r`: classic Mac OS and some old spreadsheet exports.
    case carriageReturn = 0x0D

    /// The terminator's byte.
    public var byte: UInt8 { rawValue }
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
/// Its properties are touched for every field from C callbacks, on one thread: they opt out of the runtime's
/// exclusivity checks, which cost about a tenth of an ingest's instructions.
private final class ParseContext {
    let validateEncoding: Bool
    let checkControlBytes: Bool
    let limits: CSVLimits
    @exclusivity(unchecked) var storage: [UInt8] = []
    @exclusivity(unchecked) var ends: [Int] = []
    @exclusivity(unchecked) var rowRaw: [UInt8] = []
    @exclusivity(unchecked) var recordLine = 1
    @exclusivity(unchecked) var currentLine = 1
    @exclusivity(unchecked) var lineIsOpen = false
    @exclusivity(unchecked) var lineHasInvalidEncoding = false
    /// The start of a UTF-8 character cut by a block boundary, validated with the rest of its line.
    @exclusivity(unchecked) var unvalidatedTail: [UInt8] = []
    /// The last line ended at a CR at the end of a block: an LF opening the next block belongs to it.
    @exclusivity(unchecked) var lineFeedMayFollow = false
    @exclusivity(unchecked) var controlByte: UInt8?
    @exclusivity(unchecked) var ready: [CSVRecord] = []
    /// Fields the record in progress has had (also those not kept after an overflow).
    @exclusivity(unchecked) var fieldsInRecord = 0
    /// Bytes of the record in progress, lines and delimiters included.
    @exclusivity(unchecked) var recordBytes = 0
    /// Bytes of the field in progress already dropped because it passed the limit.
    @exclusivity(unchecked) var droppedFieldBytes = 0
    @exclusivity(unchecked) var overflow: CSVOverflow?

    init(validateEncoding: Bool, checkControlBytes: Bool, limits: CSVLimits) {
        self.validateEncoding = validateEncoding
        self.checkControlBytes = checkControlBytes
        self.limits = limits
        rowRaw.reserveCapacity(1024)
    }

    /// The record handed out last still shares `fields` and `rowRaw`; they are cleared when the next record
    /// begins, by which time the consumer has let go, so the buffers are reused instead of reallocated.
    @exclusivity(unchecked) var recordEnded = false

    func beginRecord() {
        rowRaw.removeAll(keepingCapacity: true)
        if recordEnded { clearFields() }
        recordLine = currentLine
        lineHasInvalidEncoding = false
        controlByte = nil
        recordBytes = 0
        lineEndBytes = 0
    }

    /// Checks a piece of a line for valid UTF-8 (a mixed-encoding file); a character cut at the end of the piece,
    /// when the line goes on, is checked with the next piece.
    func validate(_ segment: UnsafeRawBufferPointer, lineEnds: Bool) {
        var bytes = unvalidatedTail
        bytes.append(contentsOf: segment)
        var tally = UTF8Validation.Tally()
        let carryStart = bytes.withUnsafeBytes { UTF8Validation.scan($0, into: &tally, final: lineEnds) }
        if tally.invalid > 0 { lineHasInvalidEncoding = true }
        unvalidatedTail = lineEnds ? [] : Array(bytes[carryStart...])
    }

    /// Keeps the start of the record's text; counts all of it.
    func appendRaw(_ segment: UnsafeRawBufferPointer) {
        recordBytes += segment.count
        var trailing = 0
        while trailing < segment.count, segment[segment.count - 1 - trailing] == 0x0A
                || segment[segment.count - 1 - trailing] == 0x0D {
            trailing += 1
        }
        lineEndBytes = trailing == segment.count ? lineEndBytes + trailing : trailing
        let room = limits.maxRawBytes + 2 - rowRaw.count  // + 2: the line end, trimmed later
        if room > 0 { rowRaw.append(contentsOf: segment.prefix(room)) }
        // The line end is no part of the record's length (nor of its raw text).
        if recordBytes - lineEndBytes > limits.maxRecordBytes { overflow = .record(byteCount: recordBytes - lineEndBytes) }
    }

    /// The line-end bytes at the end of what the record has so far.
    @exclusivity(unchecked) private var lineEndBytes = 0

    func dropFieldInProgress(byteCount: Int) {
        droppedFieldBytes += byteCount
        if overflow == nil { overflow = .field(index: fieldsInRecord, byteCount: droppedFieldBytes) }
    }

    func appendField(_ pointer: UnsafeMutableRawPointer?, _ length: Int) {
        if recordEnded { clearFields() }
        if droppedFieldBytes > 0 {
            if case .field(let index, _) = overflow, index == fieldsInRecord {
                overflow = .field(index: index, byteCount: droppedFieldBytes + length)
            }
            droppedFieldBytes = 0
        }
        if length > limits.maxFieldBytes, overflow == nil {
            overflow = .field(index: fieldsInRecord, byteCount: length)
        }
        fieldsInRecord += 1
        // After an overflow nothing more of the record is kept: it is quarantined from its raw start.
        guard overflow == nil else { return }
        if let pointer, length > 0 {
            storage.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: length))
        }
        ends.append(storage.count)
    }

    private func clearFields() {
        storage.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        fieldsInRecord = 0
        droppedFieldBytes = 0
        overflow = nil
        recordEnded = false
    }

    func endRecord() {
        if recordEnded { clearFields() }
        let raw = trimmedRaw()
        var record = CSVRecord(storage: storage, ends: ends, line: recordLine, lastLine: currentLine, rawBytes: raw,
                               rawByteCount: rawLength(raw), hasInvalidEncoding: lineHasInvalidEncoding,
                               hasUnterminatedQuote: false, controlByte: controlByte, overflow: overflow)
        if overflow != nil {
            record.storage = []
            record.ends = []
        }
        ready.append(record)
        recordEnded = true
        lineHasInvalidEncoding = false
        controlByte = nil
    }

    func unterminatedRecord() -> CSVRecord {
        let raw = trimmedRaw()
        return CSVRecord(storage: [], ends: [], line: recordLine, lastLine: max(recordLine, currentLine - 1),
                         rawBytes: raw, rawByteCount: rawLength(raw), hasInvalidEncoding: lineHasInvalidEncoding,
                         hasUnterminatedQuote: true, controlByte: controlByte, overflow: overflow)
    }

    /// The start of the record's text kept for the quarantine: at most `maxRawBytes` bytes of UTF-8 once read as
    /// text (`CSVRecord.raw`), ending between characters.
    private func trimmedRaw() -> ArraySlice<UInt8> {
        var end = rowRaw.count
        while end > 0, rowRaw[end - 1] == 0x0A || rowRaw[end - 1] == 0x0D { end -= 1 }
        let kept = rowRaw[0..<min(end, limits.maxRawBytes)]
        // A byte reads as at most three bytes of text (an invalid one as U+FFFD): a short start cannot pass the
        // limit, and the records of a readings file are short, so they are not scanned.
        guard kept.count * 3 > limits.maxRawBytes else { return kept }
        let goesOn = recordBytes - lineEndBytes > kept.count
        return kept.prefix(UTF8Validation.textPrefixLength(kept, textLimit: limits.maxRawBytes, goesOn: goesOn))
    }

    /// The whole record's length without its line end.
    private func rawLength(_ kept: ArraySlice<UInt8>) -> Int {
        max(kept.count, recordBytes - lineEndBytes)
    }

    func deliver(_ body: (CSVRecord) throws -> Void) throws {
        defer { ready.removeAll(keepingCapacity: true) }
        // Lent to `body` from the buffer, not copied out of the array (a copy retains and releases its three arrays).
        try ready.withUnsafeBufferPointer { records in
            for index in records.indices { try body(records[index]) }
        }
    }
}

// The context outlives every csv_parse call (forEachRecord holds it): borrowed, not retained and released per field.
private let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = {
    field, length, data in
    Unmanaged<ParseContext>.fromOpaque(data!)._withUnsafeGuaranteedRef { $0.appendField(field, length) }
}

private let rowCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, data in
    Unmanaged<ParseContext>.fromOpaque(data!)._withUnsafeGuaranteedRef { $0.endRecord() }
}
