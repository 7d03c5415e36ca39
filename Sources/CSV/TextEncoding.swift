import Glibc

/// The text encodings rivertrace reads. Everything is transcoded to UTF-8 before parsing.
public enum TextEncoding: String, Sendable, Codable {
    /// UTF-8 without a byte-order mark (plain ASCII included).
    case utf8 = "utf-8"
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    case utf8WithBOM = "utf-8-bom"
    /// GB18030, the superset of GBK and GB2312 that Chinese Windows tools write.
    case gb18030 = "gb18030"
    /// UTF-16 little-endian with a byte-order mark (Excel's "Unicode text").
    case utf16LE = "utf-16le"
    /// UTF-16 big-endian with a byte-order mark.
    case utf16BE = "utf-16be"
    /// Mostly UTF-8 with some lines in another encoding: read as UTF-8, lines that are not valid are flagged.
    case mixedUTF8 = "mixed-utf-8"

    /// The iconv name of the source encoding, or nil when the bytes are already UTF-8.
    var sourceEncodingName: String? {
        switch self {
        case .utf8, .utf8WithBOM, .mixedUTF8: nil
        case .gb18030: "GB18030"
        case .utf16LE: "UTF-16LE"
        case .utf16BE: "UTF-16BE"
        }
    }

    var needsLineValidation: Bool { self == .mixedUTF8 }

    /// How many bytes at the start of the file are a byte-order mark to skip.
    func byteOrderMarkLength(in head: ArraySlice<UInt8>) -> Int {
        let bytes = Array(head.prefix(3))
        switch self {
        case .utf8WithBOM, .utf8, .mixedUTF8:
            return bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        case .utf16LE:
            return bytes.starts(with: [0xFF, 0xFE]) ? 2 : 0
        case .utf16BE:
            return bytes.starts(with: [0xFE, 0xFF]) ? 2 : 0
        case .gb18030:
            return 0
        }
    }
}

/// A streaming iconv conversion (to UTF-8 when reading, from UTF-8 when writing) that carries incomplete
/// sequences across blocks. The iconv descriptor is closed when the transcoder goes.
final class Transcoder {
    private let handle: iconv_t
    private var pending: [UInt8] = []
    private let path: String

    init(from encoding: String, to target: String = "UTF-8", path: String) throws {
        let handle = iconv_open(target, encoding)
        guard handle != iconv_t(bitPattern: -1) else {
            throw CSVError(path: path, line: nil, message: "iconv cannot convert from \(encoding) to \(target)")
        }
        self.handle = handle!
        self.path = path
    }

    deinit {
        iconv_close(handle)
    }

    /// Converts a block; bytes that end mid-character wait for the next block.
    /// An invalid sequence becomes U+FFFD, so the record that holds it is flagged, not dropped.
    func convert(_ input: ArraySlice<UInt8>, final: Bool) throws -> [UInt8] {
        var source = pending
        source.append(contentsOf: input)
        pending.removeAll()
        var output = [UInt8](repeating: 0, count: source.count * 2 + 16)
        var produced = 0
        var consumed = 0
        try source.withUnsafeMutableBufferPointer { src in
            while consumed < src.count {
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(src.baseAddress! + consumed)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = src.count - consumed
                let outCapacity = output.count - produced
                var outLeft = outCapacity
                let result = output.withUnsafeMutableBufferPointer { dst -> Int in
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(dst.baseAddress! + produced)
                        .assumingMemoryBound(to: CChar.self)
                    return iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                }
                consumed = src.count - inLeft
                produced += outCapacity - outLeft
                if result != -1 { break }
                switch errno {
                case E2BIG:
                    output.append(contentsOf: [UInt8](repeating: 0, count: output.count))
                case EINVAL where !final:
                    pending = Array(src[consumed...])
                    consumed = src.count
                case EILSEQ, EINVAL:
                    if output.count - produced < 3 { output.append(contentsOf: [0, 0, 0]) }
                    output[produced] = 0xEF; output[produced + 1] = 0xBF; output[produced + 2] = 0xBD
                    produced += 3
                    consumed += 1
                default:
                    throw CSVError(path: path, line: nil, message: "iconv: \(String(cString: strerror(errno)))")
                }
            }
        }
        output.removeSubrange(produced...)
        return output
    }
}

/// UTF-8 validity, for detecting the encoding and flagging lines of a mixed-encoding file.
enum UTF8Validation {
    /// Counts of what a scan found.
    struct Tally {
        var multibyte = 0
        var invalid = 0
    }

    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var tally = Tally()
        _ = scan(bytes, into: &tally, final: true)
        return tally.invalid == 0
    }

    /// Scans bytes, counting valid multibyte sequences and invalid bytes.
    /// - Returns: the index where an incomplete sequence at the end begins (the caller carries those
    ///   bytes into the next block), or `bytes.count` when everything was consumed.
    static func scan(_ bytes: UnsafeRawBufferPointer, into tally: inout Tally, final: Bool) -> Int {
        var carryStart = bytes.count
        scanMain(bytes, into: &tally, carryStart: &carryStart, final: final)
        return carryStart
    }

    private static func scanMain(_ bytes: UnsafeRawBufferPointer, into tally: inout Tally, carryStart: inout Int,
                                 final: Bool) {
        var index = 0
        let count = bytes.count
        while index < count {
            // ASCII eight bytes at a time.
            if index + 8 <= count, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let expected = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            if index + expected > count, !final, expected > 1 {
                carryStart = index
                return
            }
            let length = sequenceLength(bytes, at: index)
            if length > 0 {
                tally.multibyte += 1
                index += length
            } else {
                tally.invalid += 1
                index += 1
            }
        }
    }

    /// The length of the longest start of `bytes` that reads as at most `textLimit` bytes of UTF-8 and ends between
    /// characters. Read as `String(decoding:as:)` reads: each invalid sequence becomes U+FFFD, three bytes.
    /// - Parameter goesOn: more of the text follows `bytes`; a sequence left incomplete at their end is then a
    ///   character cut in two, and is dropped rather than counted as invalid.
    static func textPrefixLength(_ bytes: ArraySlice<UInt8>, textLimit: Int, goesOn: Bool) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var length = 0
        var textLength = 0
        while true {
            let consumed: Int
            let width: Int
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                (consumed, width) = (encoded.count, encoded.count)
            case .error(let errorLength):
                if goesOn && length + errorLength == bytes.count { return length }
                (consumed, width) = (errorLength, 3)
            case .emptyInput:
                return length
            }
            if textLength + width > textLimit { return length }
            length += consumed
            textLength += width
        }
    }

    /// The length of a valid multibyte UTF-8 sequence at `index`, or 0 when it is not valid.
    private static func sequenceLength<C: RandomAccessCollection>(_ bytes: C, at index: Int) -> Int
    where C.Element == UInt8, C.Index == Int {
        let lead = bytes[bytes.startIndex + index]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        for offset in 1..<length {
            let byte = bytes[bytes.startIndex + index + offset]
            let (low, high) = offset == 1 ? (lowerBound, upperBound) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= low, byte <= high else { return 0 }
        }
        return length
    }
}
