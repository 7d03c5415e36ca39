import CSV
import Foundation
import RiverModel
import SystemPackage

/// One thing wrong in the network files, with where it is.
public struct NetworkProblem: Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var column: String?
    public var message: String

    public var description: String {
        "\(file):\(line)\(column.map { " [\($0)]" } ?? ""): \(message)"
    }
}

/// The network files could not be loaded; every problem found is listed.
public struct NetworkError: Error, CustomStringConvertible, Sendable {
    public var problems: [NetworkProblem]

    public var description: String {
        "the network files have \(problems.count) problem(s):\n" + problems.map { "  " + $0.description }.joined(separator: "\n")
    }
}

/// Loads and validates `rivers.csv`, `points.csv` and the optional `sources.csv`, `river_chiefs.csv` and
/// `river_plans.csv` from a folder.
///
/// Columns may come in any order and extra columns are ignored. Rejected: missing required columns, ids that
/// break the id rule (``idRuleProblem(_:)``), duplicate ids (river and point ids also when they differ only in
/// letter case), cells holding control characters, unknown `river_id` / `flows_into`, a cycle in `flows_into`,
/// `km` or `confluence_km` outside the river, bad classes (accepted: I–V, 1–5, Ⅰ–Ⅴ), bad coordinates, bad kinds
/// and signatures.
public enum NetworkLoader {
    /// The longest id the id rule allows, in bytes of UTF-8 (21 Chinese characters).
    public static let maximumIDBytes = 64

    /// Why `id` breaks the id rule, or nil when it keeps it (docs/formats.md §1.7).
    ///
    /// Ids (`river_id`, `point_id`, `source_id` and the references `flows_into`, `river_id`) name report files and
    /// appear in reports and terminals, so an id is 1–64 bytes of UTF-8 (after the cell's surrounding spaces are
    /// trimmed), holds no control character (Unicode Cc: line breaks, tabs, ESC, C1) and no invisible formatting
    /// character (Unicode Cf: zero-width space, bidirectional overrides, BOM), no `/` or `\`, and is not `.` or `..`.
    /// Letters of any script, digits, spaces, dots and other punctuation are legal.
    public static func idRuleProblem(_ id: String) -> String? {
        let rule = " (the id rule, docs/formats.md §1.7)"
        if let control = id.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            return "contains the control character \(codePoint(control)): ids may not hold control characters" + rule
        }
        if let format = id.unicodeScalars.first(where: { $0.properties.generalCategory == .format }) {
            return "contains the invisible formatting character \(codePoint(format)): ids may not hold invisible characters" + rule
        }
        let bytes = id.utf8.count
        guard (1...maximumIDBytes).contains(bytes) else {
            return "id of \(bytes) bytes: ids are 1–\(maximumIDBytes) bytes of UTF-8" + rule
        }
        for separator in ["/", "\\"] where id.contains(separator) {
            return "id \"\(id)\" contains \"\(separator)\": ids may not contain / or \\ (they would make file paths)" + rule
        }
        if id == "." || id == ".." { return "id \"\(id)\": ids may not be . or .." + rule }
        return nil
    }

    /// `U+001B`: a character named by its code point, so that a message never carries it.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Loads the network in `directory`. `sources.csv`, `river_chiefs.csv` and `river_plans.csv` are optional.
    /// - Throws: ``NetworkError`` listing every problem; ``CSVError`` when a file cannot be read.
    public static func load(directory: String) throws -> Network {
        var problems: [NetworkProblem] = []
        let riversPath = FilePath(directory).appending("rivers.csv").string
        let pointsPath = FilePath(directory).appending("points.csv").string
        let sourcesPath = FilePath(directory).appending("sources.csv").string
        for required in [riversPath, pointsPath] where !FileManager.default.fileExists(atPath: required) {
            problems.append(NetworkProblem(file: required, line: 0, column: nil, message: "file not found"))
        }
        guard problems.isEmpty else { throw NetworkError(problems: problems) }

        var rivers: [River] = []
        var riverLines: [String: Int] = [:]
        var riverCases = IDCases()
        try readTable(riversPath, required: ["river_id", "name", "length_km"], problems: &problems) { row in
            guard let id = row.id("river_id", required: true) else { return }
            if riverLines[id] != nil {
                return row.problem("river_id", "duplicate river_id \"\(id)\" (first on line \(riverLines[id]!))")
            }
            if let message = riverCases.problem(id, line: row.line) { return row.problem("river_id", message) }
            riverLines[id] = row.line
            guard let length = row.number("length_km", required: true, range: 0.001...10_000) else { return }
            let velocity = row.number("velocity_m_s", required: false, range: 0.001...10) ?? 0.3
            let confluence = row.number("confluence_km", required: false, range: 0...10_000)
            rivers.append(River(id: id, name: row.text("name", required: false) ?? id,
                                flowsInto: row.id("flows_into", required: false), confluenceKilometres: confluence,
                                lengthKilometres: length, velocityMetresPerSecond: velocity,
                                targetClass: row.waterClass("target_class"), waterBody: row.waterBody("water_body"),
                                englishName: row.text("name_en", required: false)))
        }
        let riverByID = Dictionary(rivers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for river in rivers {
            let line = riverLines[river.id] ?? 0
            guard let downstream = river.flowsInto else { continue }
            guard let receiving = riverByID[downstream] else {
                problems.append(NetworkProblem(file: riversPath, line: line, column: "flows_into",
                                               message: "unknown river \"\(downstream)\": expected a river_id of rivers.csv or empty"))
                continue
            }
            if let km = river.confluenceKilometres, km > receiving.lengthKilometres {
                problems.append(NetworkProblem(file: riversPath, line: line, column: "confluence_km",
                                               message: "confluence at km \(km) beyond \(downstream)'s length \(receiving.lengthKilometres) km"))
            }
            if river.confluenceKilometres == nil {
                problems.append(NetworkProblem(file: riversPath, line: line, column: "confluence_km",
                                               message: "missing: where on \(downstream) does \(river.id) join (km)?"))
            }
        }
        for river in rivers {
            var seen: [String] = [river.id]
            var current = river.flowsInto
            while let next = current, let nextRiver = riverByID[next] {
                if next == river.id {
                    problems.append(NetworkProblem(file: riversPath, line: riverLines[river.id] ?? 0, column: "flows_into",
                                                   message: "cycle in flows_into: \((seen + [next]).joined(separator: " → "))"))
                    break
                }
                if seen.contains(next) { break }  // a cycle not through this river; reported at its own rivers
                seen.append(next)
                current = nextRiver.flowsInto
            }
        }

        var points: [MonitoringPoint] = []
        var pointLines: [String: Int] = [:]
        var pointCases = IDCases()
        var nameLines: [String: Int] = [:]
        try readTable(pointsPath, required: ["point_id", "river_id", "km"], problems: &problems) { row in
            guard let id = row.id("point_id", required: true) else { return }
            if let first = pointLines[id] { return row.problem("point_id", "duplicate point_id \"\(id)\" (first on line \(first))") }
            if let message = pointCases.problem(id, line: row.line) { return row.problem("point_id", message) }
            pointLines[id] = row.line
            let name = row.text("name", required: false) ?? id
            if let first = nameLines[Parameter.normalizedHeader(name)] {
                return row.problem("name", "duplicate point name \"\(name)\" (first on line \(first); names compare ignoring spaces, case and full-width forms)")
            }
            nameLines[Parameter.normalizedHeader(name)] = row.line
            guard let river = row.river(riverByID) else { return }
            guard let km = row.number("km", required: true, range: 0...river.lengthKilometres,
                                      rangeMessage: "km beyond the river: \(river.id) is \(river.lengthKilometres) km long") else { return }
            let latitude = row.number("lat", required: false, range: -90...90)
            let longitude = row.number("lon", required: false, range: -180...180)
            let kindText = row.text("kind", required: false) ?? "manual"
            guard let kind = PointKind(rawValue: kindText.lowercased()) else {
                return row.problem("kind", "kind \"\(kindText)\": expected auto or manual")
            }
            points.append(MonitoringPoint(id: id, name: name, riverID: river.id, kilometre: km, latitude: latitude,
                                          longitude: longitude, ownTargetClass: row.waterClass("target_class"), kind: kind,
                                          englishName: row.text("name_en", required: false)))
        }

        var sources: [RegisteredSource] = []
        if FileManager.default.fileExists(atPath: sourcesPath) {
            var sourceLines: [String: Int] = [:]
            try readTable(sourcesPath, required: ["source_id", "river_id", "km"], problems: &problems) { row in
                guard let id = row.id("source_id", required: true) else { return }
                if let first = sourceLines[id] { return row.problem("source_id", "duplicate source_id \"\(id)\" (first on line \(first))") }
                sourceLines[id] = row.line
                guard let river = row.river(riverByID) else { return }
                guard let km = row.number("km", required: true, range: 0...river.lengthKilometres,
                                          rangeMessage: "km beyond the river: \(river.id) is \(river.lengthKilometres) km long") else { return }
                let signatureText = row.text("signature", required: false) ?? "unknown"
                guard let signature = SourceSignature(rawValue: signatureText.lowercased()) else {
                    return row.problem("signature", "signature \"\(signatureText)\": expected one of "
                                       + SourceSignature.allCases.map(\.rawValue).joined(separator: ", "))
                }
                // Surveyed coordinates, optional: without them reports place the source along its river by km.
                let latitude = row.number("lat", required: false, range: -90...90)
                let longitude = row.number("lon", required: false, range: -180...180)
                let missing = ["lat", "lon"].filter { column in
                    row.columns[column].map { row.fields[$0].trimmingCharacters(in: .whitespaces).isEmpty } ?? true
                }
                if missing.count == 1 {
                    return row.problem(missing[0], "missing value: a source's coordinates need both lat and lon")
                }
                sources.append(RegisteredSource(id: id, name: row.text("name", required: false) ?? id,
                                                kind: row.text("kind", required: false) ?? "", riverID: river.id,
                                                kilometre: km, signature: signature, latitude: latitude, longitude: longitude,
                                                englishName: row.text("name_en", required: false)))
            }
        }
        let chiefs = try loadChiefs(FilePath(directory).appending("river_chiefs.csv").string, rivers: riverByID, problems: &problems)
        let measures = try loadMeasures(FilePath(directory).appending("river_plans.csv").string, rivers: riverByID, problems: &problems)
        guard problems.isEmpty else { throw NetworkError(problems: problems) }
        return Network(rivers: rivers, points: points, sources: sources, chiefs: chiefs, measures: measures)
    }

    /// `river_chiefs.csv` (optional): `river_id,name,level[,phone][,name_en]`; nil when the file is absent.
    static func loadChiefs(_ path: String, rivers: [String: River], problems: inout [NetworkProblem]) throws -> [RiverChief]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var chiefs: [RiverChief] = []
        try readTable(path, required: ["river_id", "name", "level"], problems: &problems) { row in
            guard let river = row.river(rivers), let name = row.text("name", required: true),
                  let levelText = row.text("level", required: true) else { return }
            guard let level = RiverChiefLevel(cell: levelText) else {
                return row.problem("level", "level \"\(levelText)\": expected "
                                   + RiverChiefLevel.allCases.map(\.rawValue).joined(separator: ", ") + " (市级, 区级, 街道级, 村级)")
            }
            chiefs.append(RiverChief(riverID: river.id, name: name, level: level, phone: row.text("phone", required: false),
                                     englishName: row.text("name_en", required: false)))
        }
        return chiefs
    }

    /// `river_plans.csv` (optional): one measure a row, `measure_id,river_id,description,status` with optional
    /// `description_en`, `responsible_unit`, `responsible_unit_en` and `deadline`; nil when the file is absent.
    static func loadMeasures(_ path: String, rivers: [String: River], problems: inout [NetworkProblem]) throws -> [RiverMeasure]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var measures: [RiverMeasure] = []
        var measureLines: [String: Int] = [:]
        try readTable(path, required: ["measure_id", "river_id", "description", "status"], problems: &problems) { row in
            guard let id = row.id("measure_id", required: true) else { return }
            if let first = measureLines[id] { return row.problem("measure_id", "duplicate measure_id \"\(id)\" (first on line \(first))") }
            measureLines[id] = row.line
            guard let river = row.river(rivers), let description = row.text("description", required: true),
                  let statusText = row.text("status", required: true) else { return }
            guard let status = MeasureStatus(cell: statusText) else {
                return row.problem("status", "status \"\(statusText)\": expected "
                                   + MeasureStatus.allCases.map(\.rawValue).joined(separator: ", ") + " (计划, 进行中, 已完成, 逾期)")
            }
            var deadline: CalendarDay?
            if let text = row.text("deadline", required: false) {
                guard let day = CalendarDay(cell: text) else {
                    return row.problem("deadline", "deadline \"\(text)\": expected a day like 2026-12-31 or a month like 2026-12")
                }
                deadline = day
            }
            measures.append(RiverMeasure(id: id, riverID: river.id, description: description,
                                         englishDescription: row.text("description_en", required: false),
                                         responsibleUnit: row.text("responsible_unit", required: false),
                                         englishResponsibleUnit: row.text("responsible_unit_en", required: false),
                                         deadline: deadline, recordedStatus: status))
        }
        return measures
    }

    /// Reads a network table through libcsv, handing each data row to `body` with its columns by name.
    private static func readTable(_ path: String, required: [String], problems: inout [NetworkProblem],
                                  _ body: (inout TableRow) -> Void) throws {
        let sniff = try FileSniffer.sniff(path: path)
        if let reason = sniff.notTextReason {
            problems.append(NetworkProblem(file: path, line: 0, column: nil, message: reason))
            return
        }
        var columns: [String: Int]?
        var headerCount = 0
        try CSVReader(path: path, delimiter: sniff.delimiter, encoding: sniff.encoding).forEachRecord { record in
            if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { return }
            if record.hasUnterminatedQuote {
                problems.append(NetworkProblem(file: path, line: record.line, column: nil,
                                               message: "a quoted field opened here is never closed"))
                return
            }
            guard let known = columns else {
                var map: [String: Int] = [:]
                for (index, name) in record.fields.enumerated() {
                    map[name.trimmingCharacters(in: .whitespaces).lowercased()] = index
                }
                for name in required where map[name] == nil {
                    problems.append(NetworkProblem(file: path, line: record.line, column: name,
                                                   message: "required column \"\(name)\" missing from the header"))
                }
                columns = map
                headerCount = record.fields.count
                return
            }
            guard required.allSatisfy({ known[$0] != nil }) else { return }
            if record.fields.count != headerCount {
                problems.append(NetworkProblem(file: path, line: record.line, column: nil,
                                               message: "row has \(record.fields.count) fields: expected \(headerCount) as in the header"))
                return
            }
            var row = TableRow(file: path, line: record.line, fields: record.fields, columns: known)
            body(&row)
            problems.append(contentsOf: row.problems)
        }
        if columns == nil {
            problems.append(NetworkProblem(file: path, line: 1, column: nil, message: "empty file: expected a header row"))
        }
    }
}

/// One row of a network table, read by column name, collecting problems as it goes.
private struct TableRow {
    let file: String
    let line: Int
    let fields: [String]
    let columns: [String: Int]
    var problems: [NetworkProblem] = []

    init(file: String, line: Int, fields: [String], columns: [String: Int]) {
        self.file = file
        self.line = line
        self.fields = fields
        self.columns = columns
    }

    mutating func problem(_ column: String?, _ message: String) {
        problems.append(NetworkProblem(file: file, line: line, column: column, message: message))
    }

    /// The trimmed cell, nil when blank or when it holds a control character (reported by code point, never printed).
    mutating func text(_ column: String, required: Bool) -> String? {
        let value = columns[column].map { fields[$0].trimmingCharacters(in: .whitespaces) } ?? ""
        if value.isEmpty {
            if required { problem(column, "missing value") }
            return nil
        }
        if let control = value.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            problem(column, "contains the control character \(NetworkLoader.codePoint(control)): network files may not hold "
                    + "line breaks, tabs, escape sequences or other control characters in a cell")
            return nil
        }
        return value
    }

    /// The cell as an id, nil when blank or when it breaks the id rule (reported).
    mutating func id(_ column: String, required: Bool) -> String? {
        guard let value = text(column, required: required) else { return nil }
        if let message = NetworkLoader.idRuleProblem(value) {
            problem(column, message)
            return nil
        }
        return value
    }

    mutating func number(_ column: String, required: Bool, range: ClosedRange<Double>,
                         rangeMessage: String? = nil) -> Double? {
        guard let text = text(column, required: required) else { return nil }
        guard let value = Double(text), value.isFinite else {
            problem(column, "\"\(text)\" is not a number")
            return nil
        }
        guard range.contains(value) else {
            problem(column, rangeMessage.map { "\(value): \($0)" } ?? "\(value) out of range \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func waterClass(_ column: String) -> WaterClass? {
        guard let text = text(column, required: false) else { return nil }
        guard let parsed = WaterClass(targetText: text) else {
            problem(column, "class \"\(text)\": expected I–V, 1–5 or Ⅰ–Ⅴ")
            return nil
        }
        return parsed
    }

    /// The `water_body` cell: river (also when blank or the column is absent), lake or reservoir.
    mutating func waterBody(_ column: String) -> WaterBody {
        guard let text = text(column, required: false) else { return .river }
        guard let parsed = WaterBody(cell: text) else {
            problem(column, "water body \"\(text)\": expected river, lake or reservoir (河流, 湖泊, 水库), or blank for river")
            return .river
        }
        return parsed
    }

    mutating func river(_ rivers: [String: River]) -> River? {
        guard let id = id("river_id", required: true) else { return nil }
        guard let river = rivers[id] else {
            problem("river_id", "unknown river \"\(id)\": expected a river_id of rivers.csv")
            return nil
        }
        return river
    }
}

/// The ids of one table by letter case, to refuse two that differ only in case: report files are named after
/// ids, and the file systems of macOS and Windows shares ignore case.
private struct IDCases {
    private var first: [String: (id: String, line: Int)] = [:]

    /// The problem with `id` on `line`, or nil; remembers the id.
    mutating func problem(_ id: String, line: Int) -> String? {
        let key = id.lowercased()
        if let earlier = first[key], earlier.id != id {
            return "\"\(id)\" differs from \"\(earlier.id)\" (line \(earlier.line)) only in letter case: report files are "
                + "named after ids, and some file systems ignore case"
        }
        first[key] = (id, line)
        return nil
    }
}
