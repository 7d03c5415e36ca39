import CSV
import Foundation
import RiverModel
import SystemPackage

/// Settings that change how a readings dump is read.
public struct IngestOptions: Sendable {
    /// The zone of times without an offset.
    public var timeZone: TimeZone
    /// The year for `MM-DD hh:mm` times when the file name holds none; when nil too, such rows are rejected.
    public var year: Int?
    /// Instrument sentinel values that mean "no measurement".
    public var sentinels: Set<Double>

    public init(timeZone: TimeZone = .chinaStandard, year: Int? = nil,
                sentinels: Set<Double> = [-999, -9999, -99999]) {
        self.timeZone = timeZone
        self.year = year
        self.sentinels = sentinels
    }
}

/// What parsing one file found, before the store sorts accepted readings into new, duplicate and conflict.
public struct ParseSummary: Sendable {
    public var encoding: TextEncoding
    public var delimiter: CSVDelimiter
    /// Nil when no header was recognised.
    public var layout: Layout?
    /// Data records read (after the header).
    public var records = 0
    /// Readings the file offers: one per long row, one per non-blank parameter cell of a wide row, and one
    /// per row that could not be attributed at all. Equals accepted + rejected.
    public var candidates = 0
    public var accepted = 0
    public var rejected = 0
    /// Header cells that were not used (extra columns are ignored, never an error).
    public var ignoredColumns: [String] = []
    /// Things a person should know that are not rejections (lines before the header, header only, …).
    public var notes: [String] = []
    /// The header line as it stood in the file.
    public var header: String?
}

/// Parses one readings dump (long or wide, any supported encoding and delimiter) into readings and rejections.
public struct ReadingsParser: Sendable {
    public let network: Network
    public let options: IngestOptions

    public init(network: Network, options: IngestOptions) {
        self.network = network
        self.options = options
    }

    /// Opens and reads `path` as `sniff` describes it (see ``parse(file:sniff:progress:observe:onReading:onRejection:)``).
    public func parse(path: String, sniff: FileSniff, progress: ((Int) -> Void)? = nil,
                      onReading: (Reading) throws -> Void,
                      onRejection: (Rejection) throws -> Void) throws -> ParseSummary {
        try parse(file: InputFile(path: path), sniff: sniff, progress: progress, onReading: onReading,
                  onRejection: onRejection)
    }

    /// Reads an open file as `sniff` describes it, handing each accepted reading and each rejection on in file
    /// order. `observe` sees every block of the file's bytes as parsed (to hash exactly what was read).
    /// - Throws: ``InputFileError`` or ``CSVError`` when the file cannot be read; whatever the handlers throw.
    public func parse(file: InputFile, sniff: FileSniff, progress: ((Int) -> Void)? = nil,
                      observe: ((ArraySlice<UInt8>) -> Void)? = nil,
                      onReading: (Reading) throws -> Void,
                      onRejection: (Rejection) throws -> Void) throws -> ParseSummary {
        try parse(file: file, sniff: sniff, progress: progress, observe: observe,
                  onSeriesReading: { reading, _ in try onReading(reading) }, onRejection: onRejection)
    }

    /// As ``parse(file:sniff:progress:observe:onReading:onRejection:)``, handing on with each reading a series hint:
    /// the position of its point in `network.points` times the number of parameters plus the parameter's position in
    /// `Parameter.allCases`, the same for every reading of one point × parameter (the store's `FileBatch` finds the
    /// series by it without hashing the point id).
    public func parse(file: InputFile, sniff: FileSniff, progress: ((Int) -> Void)? = nil,
                      observe: ((ArraySlice<UInt8>) -> Void)? = nil,
                      onSeriesReading: (Reading, _ seriesHint: Int) throws -> Void,
                      onRejection: (Rejection) throws -> Void) throws -> ParseSummary {
        let onReading = onSeriesReading
        let path = file.path
        var summary = ParseSummary(encoding: sniff.encoding, delimiter: sniff.delimiter)
        if let reason = sniff.notTextReason {
            // Read anyway (and throw the rows away), so the bytes hashed are the bytes judged.
            try file.forEachBlock(blockSize: 256 * 1024) { observe?($0) }
            summary.candidates = 1
            summary.rejected = 1
            try onRejection(Rejection(line: 0, column: nil, raw: "", reason: .notText(detail: reason)))
            return summary
        }
        let named = TimeParser.yearAndMonth(inFileName: FilePath(path).lastComponent?.string ?? path)
        let times = TimeParser(timeZone: options.timeZone, defaultYear: named?.year ?? options.year,
                               referenceMonth: named?.month)
        let state = FileState(network: network, times: times, values: ValueParser(sentinels: options.sentinels))
        let reader = CSVReader(file: file, sniff: sniff)
        var beforeHeader: [CSVRecord] = []

        func reject(_ record: CSVRecord, column: String?, _ reason: RejectionReason) throws {
            summary.candidates += 1
            summary.rejected += 1
            try onRejection(Rejection(line: record.line, column: column, raw: record.quarantineText, reason: reason))
        }

        /// A row with a field or the whole row beyond the reader's limits: quarantined, whatever the header.
        func rejectOverflow(_ record: CSVRecord, _ overflow: CSVOverflow) throws {
            if state.header != nil { summary.records += 1 }
            switch overflow {
            case .field(let index, let byteCount):
                let names = state.header?.names ?? []
                try reject(record, column: index < names.count ? names[index] : nil,
                           .fieldTooLong(byteCount: byteCount, limit: reader.limits.maxFieldBytes))
            case .record(let byteCount):
                try reject(record, column: nil, .recordTooLong(byteCount: byteCount, limit: reader.limits.maxRecordBytes))
            }
        }

        func noteSkipped(_ rows: some Sequence<CSVRecord>) {
            for skipped in rows {
                summary.notes.append("line \(skipped.line) before the header skipped: \(skipped.raw.prefix(80))")
            }
        }

        /// A data row below a header that was not recognised: not a reading, but one the file offers.
        func rejectBelow(_ problem: UnrecognizedHeader, _ record: CSVRecord) throws {
            summary.records += 1
            if record.hasUnterminatedQuote {
                try reject(record, column: nil, .unterminatedQuote(lastLine: record.lastLine))
            } else {
                try reject(record, column: nil, .unrecognizedHeader(problem))
            }
        }

        /// Takes the most header-like of `rows` (the most cells naming a column role; the first on a tie) for
        /// the header that was not recognised. The header line is the file's problem, recorded once as a note,
        /// not a reading; rows above it are skipped as before any header, rows below it are quarantined.
        /// Returns nil when every row is an unclosed quote (quarantined as such).
        func settleUnrecognizedHeader(_ rows: [CSVRecord]) throws -> UnrecognizedHeader? {
            var best: (index: Int, score: Int)?
            for (index, row) in rows.enumerated() where !row.hasUnterminatedQuote {
                let score = TableHeader.roleCellCount(row.fields)
                if best == nil || score > best!.score { best = (index, score) }
            }
            guard let best else {
                for row in rows {
                    summary.records += 1
                    try reject(row, column: nil, .unterminatedQuote(lastLine: row.lastLine))
                }
                return nil
            }
            let headerRow = rows[best.index]
            let problem = TableHeader.diagnose(headerRow.fields, line: headerRow.line)
            noteSkipped(rows[..<best.index])
            summary.notes.append("\(path):\(headerRow.line): header not recognised — \(problem.explanation)")
            summary.header = headerRow.raw
            for row in rows[(best.index + 1)...] { try rejectBelow(problem, row) }
            return problem
        }

        try reader.forEachRecord(progress: progress, observe: observe) { record in
            if let overflow = record.overflow, !record.hasUnterminatedQuote {
                try rejectOverflow(record, overflow)
                return
            }
            if let byte = record.controlByte, !record.hasUnterminatedQuote {
                if state.header != nil { summary.records += 1 }
                try reject(record, column: nil, .controlCharacter(byte: byte))
                return
            }
            guard let header = state.header else {
                if record.hasUnterminatedQuote || record.hasInvalidEncoding {
                    beforeHeader.append(record)
                } else if record.fields.allSatisfy({ $0.isEmpty }) {
                    return
                } else if let header = TableHeader(fields: record.fields) {
                    state.adopt(header)
                    summary.layout = header.layout
                    summary.header = record.raw
                    summary.ignoredColumns = header.ignoredColumns
                    noteSkipped(beforeHeader)
                    beforeHeader.removeAll()
                    return
                } else {
                    beforeHeader.append(record)
                }
                if beforeHeader.count > 10 {
                    if let problem = try settleUnrecognizedHeader(beforeHeader) { state.giveUpOnHeader(problem) }
                    beforeHeader.removeAll()
                }
                return
            }
            if let problem = state.unrecognizedHeader {
                try rejectBelow(problem, record)
                return
            }
            if state.repeatsHeader(record) {
                // Files joined with `cat` repeat their header; it is not a reading.
                summary.notes.append("line \(record.line) repeats the header (files joined together?): skipped")
                return
            }
            summary.records += 1
            if record.hasUnterminatedQuote {
                try reject(record, column: nil, .unterminatedQuote(lastLine: record.lastLine))
                return
            }
            if record.hasInvalidEncoding {
                try reject(record, column: nil, .invalidEncoding(encoding: "UTF-8"))
                return
            }
            try state.process(record, header: header, onReading: { reading, hint in
                summary.candidates += 1
                summary.accepted += 1
                try onReading(reading, hint)
            }, onRejection: { column, reason in
                try reject(record, column: column, reason)
            })
        }

        if sniff.byteCount == 0 {
            summary.notes.append("empty file: no header and no data")
        } else if state.header == nil {
            if beforeHeader.isEmpty, summary.rejected == 0 {
                summary.notes.append("no rows: the file holds only blank lines")
            } else if beforeHeader.isEmpty {
                summary.notes.append("no header found: every row was quarantined")
            } else {
                _ = try settleUnrecognizedHeader(beforeHeader)
            }
        } else if summary.records == 0, state.unrecognizedHeader == nil {
            summary.notes.append("header only: no data rows")
        }
        if !reader.lastLineEnded, summary.records > 0 {
            summary.notes.append("the last line has no line end: if the file was cut short, check its last row "
                                 + "(it was read as it stands)")
        }
        return summary
    }
}

/// The per-file state of a parse: the header's column indices and lookup caches.
///
/// A class, touched for every row from the record closure: a struct there was copied for each row (a retain and a
/// release of each of its references, a tenth of the parsing thread's time). Its caches are touched on one thread
/// only: no runtime exclusivity checks.
private final class FileState {
    let network: Network
    let times: TimeParser
    let values: ValueParser
    var header: TableHeader?
    /// Set when the header search gave up: every further row is quarantined with it.
    var unrecognizedHeader: UnrecognizedHeader?
    var pointColumn = 0
    var timeColumn: Int?
    var dateColumn: Int?
    var parameterColumn = 0
    var valueColumn = 0
    var unitColumn: Int?
    /// A unit written in the value column's header (`浓度(μg/L)`), for rows whose unit column is blank.
    var valueHeaderUnit: MeasurementUnit?
    var valueHeaderUnitText: String?
    var flagColumn: Int?
    var parameterColumns: [(index: Int, parameter: Parameter, parameterPosition: Int, unit: MeasurementUnit?, unknownUnit: String?)] = []
    /// A point's id and its position in the network (for the series hint).
    @exclusivity(unchecked) var points = RecentCells<(id: String, position: Int)?>(capacity: 256)
    @exclusivity(unchecked) var timesSeen = RecentCells<TimeParser.Outcome>(capacity: 4)
    @exclusivity(unchecked) var flags = RecentCells<String?>(capacity: 16)
    @exclusivity(unchecked) var parameters = RecentCells<(Parameter, position: Int, MeasurementUnit?, String?)?>(capacity: 64)
    @exclusivity(unchecked) var units = RecentCells<UnitCell>(capacity: 32)

    init(network: Network, times: TimeParser, values: ValueParser) {
        self.network = network
        self.times = times
        self.values = values
    }

    /// Positions of the parameters in `Parameter.allCases`, for series hints.
    private static let parameterPositions = Dictionary(uniqueKeysWithValues: Parameter.allCases.enumerated().map { ($1, $0) })

    /// The series hint of a point × parameter (see ``ReadingsParser/parse(file:sniff:progress:observe:onSeriesReading:onRejection:)``).
    static func seriesHint(pointPosition: Int, parameterPosition: Int) -> Int {
        pointPosition * Parameter.allCases.count + parameterPosition
    }

    func adopt(_ header: TableHeader) {
        self.header = header
        pointColumn = header.index(of: .point)!
        timeColumn = header.index(of: .time)
        dateColumn = header.index(of: .date)
        parameterColumn = header.index(of: .parameterName) ?? 0
        valueColumn = header.index(of: .value) ?? 0
        unitColumn = header.index(of: .unit)
        flagColumn = header.index(of: .flag)
        if header.layout == .long, let unitText = TableHeader.splitUnit(header.names[valueColumn]).unit {
            valueHeaderUnit = MeasurementUnit.named(unitText)
            valueHeaderUnitText = valueHeaderUnit == nil ? unitText : nil
        }
        for (index, role) in header.roles.enumerated() {
            if case .parameter(let parameter, let unit, let unknown) = role {
                parameterColumns.append((index, parameter, Self.parameterPositions[parameter]!, unit, unknown))
            }
        }
    }

    /// True when `record` is the header again. Checked on every row, so the first field's bytes decide first.
    func repeatsHeader(_ record: CSVRecord) -> Bool {
        guard let header, record.fieldCount == header.names.count, record.fieldCount > 0 else { return false }
        var first = record.fieldBytes(0)
        if first.starts(with: [0xEF, 0xBB, 0xBF]) { first = first.dropFirst(3) }
        guard first.elementsEqual(header.names[0].utf8) else { return false }
        return record.fields.map(TableHeader.withoutByteOrderMark) == header.names
    }

    func giveUpOnHeader(_ problem: UnrecognizedHeader) {
        header = TableHeader(fields: ["point", "time", "parameter", "value"])
        unrecognizedHeader = problem
    }

    func process(_ record: CSVRecord, header: TableHeader, onReading: (Reading, Int) throws -> Void,
                 onRejection: (String?, RejectionReason) throws -> Void) throws {
        var count = record.fieldCount
        // A trailing delimiter (one empty field more than the header) is common and harmless.
        while count > header.names.count, record.fieldBytes(count - 1).isEmpty { count -= 1 }
        guard count == header.names.count else {
            try onRejection(nil, .wrongFieldCount(found: record.fieldCount, expected: header.names.count))
            return
        }
        // Cells are looked up by their bytes in small caches: rows repeat points, times, parameters, units.
        // The closures reach the network and the time parser through self only on a miss (a copy of either, made for
        // every row, cost a retain and a release of each of its references).
        guard let point = points.value(for: record.fieldBytes(pointColumn), compute: { text in
            let trimmed = String(Substring(text).trimmingSpaces)
            return self.network.pointPosition(identifiedBy: trimmed).map { (self.network.points[$0].id, $0) }
        }) else {
            try onRejection(header.names[pointColumn],
                            .unknownPoint(found: String(Substring(record.field(pointColumn)).trimmingSpaces)))
            return
        }
        let timeBytes: ArraySlice<UInt8>
        switch (dateColumn, timeColumn) {
        case (let date?, let time?): timeBytes = ArraySlice(record.fieldBytes(date) + [0x20] + record.fieldBytes(time))
        case (let date?, nil): timeBytes = record.fieldBytes(date)
        case (nil, let time?): timeBytes = record.fieldBytes(time)
        case (nil, nil): timeBytes = []
        }
        let time: Date
        switch timesSeen.value(for: timeBytes, compute: { self.times.parse($0) }) {
        case .time(let parsed): time = parsed
        case .missingYear:
            try onRejection(header.names[timeColumn ?? dateColumn!], .missingYear(found: String(decoding: timeBytes, as: UTF8.self)))
            return
        case .invalid:
            try onRejection(header.names[timeColumn ?? dateColumn!], .unparseableTime(found: String(decoding: timeBytes, as: UTF8.self)))
            return
        }
        let flag = flagColumn.flatMap { column in flags.value(for: record.fieldBytes(column), compute: StationFlag.normalized) }

        switch header.layout {
        case .wide:
            for column in parameterColumns {
                let outcome = values.parse(bytes: record.fieldBytes(column.index))
                if outcome == .missing { continue }
                if let unknown = column.unknownUnit {
                    try onRejection(header.names[column.index], .unknownUnit(found: unknown, parameter: column.parameter))
                    continue
                }
                try emit(outcome, cell: record.fieldBytes(column.index), parameter: column.parameter, unit: column.unit,
                         point: point.id, hint: Self.seriesHint(pointPosition: point.position, parameterPosition: column.parameterPosition),
                         time: time, flag: flag, line: record.line, column: column.index, header: header,
                         onReading: onReading, onRejection: onRejection)
            }
        case .long:
            guard let (parameter, parameterPosition, unitInName, unknownInName) = parameters.value(
                for: record.fieldBytes(parameterColumn), compute: { text in
                    if case .parameter(let parameter, let unit, let unknown) = TableHeader.role(of: text) {
                        return (parameter, Self.parameterPositions[parameter]!, unit, unknown)
                    }
                    return nil
                }) else {
                try onRejection(header.names[parameterColumn], .unknownParameter(found: record.field(parameterColumn)))
                return
            }
            var unit = unitInName ?? valueHeaderUnit
            if let unknownInName {
                try onRejection(header.names[parameterColumn], .unknownUnit(found: unknownInName, parameter: parameter))
                return
            }
            if unitInName == nil, let unknown = valueHeaderUnitText {
                try onRejection(header.names[valueColumn], .unknownUnit(found: unknown, parameter: parameter))
                return
            }
            if unitInName == nil, let headerUnit = valueHeaderUnit, headerUnit.dimension != parameter.canonicalUnit.dimension {
                try onRejection(header.names[valueColumn], .unknownUnit(found: headerUnit.rawValue, parameter: parameter))
                return
            }
            if let unitColumn {
                let unitCell = units.value(for: record.fieldBytes(unitColumn)) { text -> UnitCell in
                    let trimmed = String(Substring(text).trimmingSpaces)
                    return trimmed.isEmpty ? .blank : MeasurementUnit.named(trimmed).map(UnitCell.known) ?? .unknown(trimmed)
                }
                switch unitCell {
                case .blank: break
                case .known(let named) where named.dimension == parameter.canonicalUnit.dimension: unit = named
                case .known(let named):
                    try onRejection(header.names[unitColumn], .unknownUnit(found: named.rawValue, parameter: parameter))
                    return
                case .unknown(let text):
                    try onRejection(header.names[unitColumn], .unknownUnit(found: text, parameter: parameter))
                    return
                }
            }
            let outcome = values.parse(bytes: record.fieldBytes(valueColumn))
            if outcome == .missing {
                try onRejection(header.names[valueColumn], .missingValue(parameter: parameter))
                return
            }
            try emit(outcome, cell: record.fieldBytes(valueColumn), parameter: parameter, unit: unit, point: point.id,
                     hint: Self.seriesHint(pointPosition: point.position, parameterPosition: parameterPosition),
                     time: time, flag: flag, line: record.line, column: valueColumn, header: header,
                     onReading: onReading, onRejection: onRejection)
        }
    }

    private func emit(_ outcome: ValueParser.Outcome, cell: ArraySlice<UInt8>, parameter: Parameter, unit: MeasurementUnit?,
                      point: String, hint: Int, time: Date, flag: String?, line: Int, column columnIndex: Int,
                      header: TableHeader, onReading: (Reading, Int) throws -> Void,
                      onRejection: (String?, RejectionReason) throws -> Void) throws {
        var column: String { header.names[columnIndex] }
        let canonical = parameter.canonicalUnit
        let from = unit ?? canonical
        switch outcome {
        case .value(let value):
            let converted = from.convert(value, to: canonical)
            guard converted.isFinite else {
                try onRejection(column, .valueOutOfRange(found: String(decoding: cell, as: UTF8.self), parameter: parameter))
                return
            }
            try onReading(Reading(pointID: point, parameter: parameter, time: time,
                                  value: converted, flag: flag, line: line), hint)
        case .censored(let limit):
            let converted = limit.map { from.convert($0, to: canonical) }
            if let converted, !converted.isFinite {
                try onRejection(column, .valueOutOfRange(found: String(decoding: cell, as: UTF8.self), parameter: parameter))
                return
            }
            try onReading(Reading(pointID: point, parameter: parameter, time: time, value: converted,
                                  isCensored: true, detectionLimit: converted, flag: flag, line: line), hint)
        case .sentinel:
            let text = String(decoding: cell, as: UTF8.self)
            try onRejection(column, .sentinelValue(found: String(Substring(text).trimmingSpaces), parameter: parameter))
        case .invalid:
            let text = String(decoding: cell, as: UTF8.self)
            try onRejection(column, .unparseableValue(found: String(Substring(text).trimmingSpaces), parameter: parameter))
        case .missing:
            try onRejection(column, .missingValue(parameter: parameter))
        }
    }
}

/// What a unit cell of a long row says.
private enum UnitCell {
    case blank
    case known(MeasurementUnit)
    case unknown(String)
}

/// Remembers what the last few distinct cells meant, compared by their bytes: rows repeat their points,
/// times, parameters and units, so the hot path makes no strings and hashes nothing.
struct RecentCells<Value> {
    private var keys: [[UInt8]] = []
    private var values: [Value] = []
    private var lastHit = 0
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The meaning of `bytes`, from the cache or from `compute` (given the cell as text).
    mutating func value(for bytes: ArraySlice<UInt8>, compute: (String) -> Value) -> Value {
        let count = keys.count
        if count > 0 {
            // Rows cycle through the same few cells: try the last hit, then the one after it, then all.
            for offset in 0..<count {
                let index = (lastHit + offset) % count
                if keys[index].elementsEqual(bytes) {
                    lastHit = index
                    return values[index]
                }
            }
        }
        let value = compute(String(decoding: bytes, as: UTF8.self))
        if count >= capacity {
            keys.removeFirst()
            values.removeFirst()
        }
        keys.append(Array(bytes))
        values.append(value)
        lastHit = keys.count - 1
        return value
    }
}

/// Station data markers: HJ 212-2017 codes are kept as given; Chinese status words map onto them.
public enum StationFlag {
    /// HJ 212-2017 §6.6.4 markers and the status words exports use for them.
    static let words: [String: String] = [
        "正常": "N", "有效": "N", "停运": "F", "停机": "F", "维护": "M", "运维": "M", "手工": "S", "人工": "S",
        "故障": "D", "校准": "C", "标定": "C", "超量程": "T", "超上限": "T", "通讯异常": "B", "通信故障": "B",
        "通讯故障": "B",
    ]

    /// The flag to store for a flag cell: nil when blank, the HJ 212 letter for a known word, else as given.
    public static func normalized(_ text: String) -> String? {
        let trimmed = String(Substring(text).trimmingSpaces)
        if trimmed.isEmpty { return nil }
        return words[trimmed] ?? trimmed
    }
}

extension CSVRecord {
    /// The row's text for the quarantine: all of it, or its start and how long it was.
    var quarantineText: String {
        rawIsTruncated ? raw + " … [row truncated: \(rawByteCount) bytes in all, the first \(rawBytes.count) kept]" : raw
    }
}
