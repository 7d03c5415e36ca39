import RiverModel

/// What a column of a readings dump holds.
public enum ColumnRole: Equatable, Sendable {
    case point
    case time
    /// A date column, when the time of day stands in a column of its own.
    case date
    case parameterName
    case value
    case unit
    case flag
    /// A wide layout's parameter column, with the unit its header gives (nil: the canonical unit), or the
    /// unit text that could not be read.
    case parameter(Parameter, unit: MeasurementUnit?, unknownUnit: String?)
    /// A column rivertrace does not use (省份, 水质类别, 藻密度…): ignored, listed in the summary.
    case ignored
}

/// The two layouts of readings dumps.
public enum Layout: String, Sendable, Codable {
    /// One reading a row: point, time, parameter, value, optional unit and flag.
    case long
    /// One row per point and time, one column per parameter.
    case wide
}

/// A recognised header row: the role of each column and the layout they make.
public struct TableHeader: Sendable {
    /// The header names as written.
    public let names: [String]
    /// One role per column.
    public let roles: [ColumnRole]
    public let layout: Layout

    /// Header spellings of the non-parameter roles, compared after `Parameter.normalizedHeader`.
    /// Documented in `docs/formats.md`.
    static let roleAliases: [(ColumnRole, [String])] = [
        (.point, ["point_id", "pointid", "point", "station", "station_id", "stationid", "site", "site_id", "siteid",
                  "section", "监测点位", "点位", "点位名称", "点位编号", "点位代码", "断面名称", "断面", "断面编号",
                  "站点名称", "站点", "站点编号", "监测点", "监测断面", "测站名称", "测站"]),
        (.time, ["time", "datetime", "date_time", "timestamp", "sample_time", "sampletime", "sampling_time",
                 "监测时间", "采样时间", "时间", "日期时间", "数据时间", "检测时间"]),
        (.date, ["date", "sample_date", "日期", "采样日期", "监测日期"]),
        (.parameterName, ["parameter", "param", "determinand", "analyte", "variable", "监测项目", "项目",
                          "指标", "监测指标", "因子", "监测因子", "参数"]),
        (.value, ["value", "result", "concentration", "监测值", "浓度", "数值", "结果", "测定值", "监测结果", "检测结果"]),
        (.unit, ["unit", "units", "单位"]),
        (.flag, ["flag", "qualifier", "status", "标识", "数据标识", "标记", "数据标记", "状态", "站点情况", "数据状态"]),
    ]

    private static let roleTable: [String: ColumnRole] = {
        var table: [String: ColumnRole] = [:]
        for (role, names) in roleAliases {
            for name in names { table[Parameter.normalizedHeader(name)] = role }
        }
        return table
    }()

    /// `name` without a leading U+FEFF (a UTF-8 byte-order mark left inside a file).
    public static func withoutByteOrderMark(_ name: String) -> String {
        name.unicodeScalars.first == "\u{FEFF}" ? String(name.unicodeScalars.dropFirst()) : name
    }

    /// Recognises a header row, or returns nil when it has no point and time columns.
    /// A byte-order mark before a name (files joined after their BOM) is not part of it.
    public init?(fields: [String]) {
        let fields = fields.map(TableHeader.withoutByteOrderMark)
        let roles = fields.map(TableHeader.role(of:))
        names = fields
        self.roles = roles
        let has = { (wanted: ColumnRole) in roles.contains(wanted) }
        guard has(.point), has(.time) || has(.date) else { return nil }
        if has(.parameterName), has(.value) {
            layout = .long
        } else if roles.contains(where: { if case .parameter = $0 { true } else { false } }) {
            layout = .wide
        } else {
            return nil
        }
    }

    /// How many cells of a row name a column role other than a parameter (point, time, value, unit…): how
    /// much a row that is not a header looks like one. Parameter names do not count, since long data rows
    /// hold them too.
    static func roleCellCount(_ fields: [String]) -> Int {
        fields.reduce(0) { count, field in
            switch role(of: field) {
            case .ignored, .parameter: count
            default: count + 1
            }
        }
    }

    /// Why `fields` (line `line`) is not a header: the columns each layout still needs, each named with a
    /// few spellings from ``roleAliases`` and the parameter aliases, so the message follows the tables.
    static func diagnose(_ fields: [String], line: Int) -> UnrecognizedHeader {
        let roles = fields.map(role(of:))
        let has = { (wanted: ColumnRole) in roles.contains(wanted) }
        let hasParameterColumn = roles.contains { if case .parameter = $0 { true } else { false } }
        var common: [HeaderColumn] = []
        if !has(.point) { common.append(HeaderColumn(role: .point, examples: examples(of: .point))) }
        if !has(.time), !has(.date) { common.append(HeaderColumn(role: .time, examples: examples(of: .time))) }
        var long = common
        if !has(.parameterName) {
            long.append(HeaderColumn(role: .parameterName, examples: examples(of: .parameterName)))
        }
        if !has(.value) { long.append(HeaderColumn(role: .value, examples: examples(of: .value))) }
        var wide = common
        if !hasParameterColumn {
            let example = Parameter.ammoniaNitrogen
            wide.append(HeaderColumn(role: .parameter, examples: [
                "\(example.chineseName)(\(example.canonicalUnit.rawValue))", example.code, Parameter.totalPhosphorus.chineseName,
            ]))
        }
        var found = fields.map { String(Substring($0).trimmingSpaces) }
        while found.last?.isEmpty == true { found.removeLast() }  // a trailing delimiter is not a column
        return UnrecognizedHeader(line: line, found: found, missingForLong: long, missingForWide: wide)
    }

    /// The first English and the first two Chinese spellings of a role (`time, 监测时间, 采样时间`).
    private static func examples(of role: ColumnRole) -> [String] {
        let aliases = roleAliases.first { $0.0 == role }?.1 ?? []
        let english = aliases.filter { $0.allSatisfy(\.isASCII) }.prefix(1)
        let chinese = aliases.filter { !$0.allSatisfy(\.isASCII) }.prefix(2)
        return Array(english + chinese)
    }

    /// The role of one header cell: `氨氮(mg/L)`, `水温（℃）`, `NH3-N [mg/L]`, `point_id`, …
    static func role(of header: String) -> ColumnRole {
        let (name, unitText) = splitUnit(header)
        let key = Parameter.normalizedHeader(name)
        if unitText == nil, let role = roleTable[key] { return role }
        if let parameter = Parameter.named(name) {
            guard let unitText else { return .parameter(parameter, unit: nil, unknownUnit: nil) }
            if let unit = MeasurementUnit.named(unitText), unit.dimension == parameter.canonicalUnit.dimension {
                return .parameter(parameter, unit: unit, unknownUnit: nil)
            }
            return .parameter(parameter, unit: nil, unknownUnit: unitText)
        }
        if let role = roleTable[key] { return role }
        return .ignored
    }

    /// Splits a header into its name and its unit: `氨氮(mg/L)`, `水温（℃）`, `NH3-N [mg/L]`, `溶解氧 mg/L`,
    /// `总磷/mg/L`, `总氮(以N计)(mg/L)`. Bracketed qualifiers are not units: the chemical form (`以N计`),
    /// another name of the parameter (`氨氮（NH3-N）`, `化学需氧量（COD）`) and a reference temperature
    /// (`电导率（25℃）`). A bracket that is neither is returned as the unit, to be reported as unknown.
    static func splitUnit(_ header: String) -> (name: String, unit: String?) {
        var name = ""
        var groups: [String] = []
        var current: String?
        for character in Substring(header).trimmingSpaces {
            if character == "(" || character == "（" || character == "[" || character == "【" {
                current = ""
            } else if character == ")" || character == "）" || character == "]" || character == "】", let group = current {
                groups.append(String(Substring(group).trimmingSpaces))
                current = nil
            } else if current != nil {
                current!.append(character)
            } else {
                name.append(character)
            }
        }
        if let unfinished = current { name += "(" + unfinished }
        name = String(Substring(name).trimmingSpaces)
        let candidates = groups.filter { !isQualifier($0) }
        if let unit = candidates.first(where: { MeasurementUnit.named($0) != nil }) { return (name, unit) }
        if let unknown = candidates.first { return (name, unknown) }
        // No brackets: `溶解氧 mg/L`, `总磷/mg/L`, `水温/℃` — a unit after the last space or the first slash.
        if groups.isEmpty, Parameter.named(name) == nil {
            for separator in [" ", "/", "\u{3000}"] {
                guard let range = name.range(of: separator) else { continue }
                let head = String(Substring(name[..<range.lowerBound]).trimmingSpaces)
                let tail = String(Substring(name[range.upperBound...]).trimmingSpaces)
                if Parameter.named(head) != nil, MeasurementUnit.named(tail) != nil { return (head, tail) }
            }
        }
        return (name, nil)
    }

    /// Bracketed text that qualifies a name rather than giving a unit.
    private static func isQualifier(_ text: String) -> Bool {
        if text.hasPrefix("以") && text.hasSuffix("计") { return true }  // 以N计, 以P计
        if Parameter.named(text) != nil { return true }                 // 氨氮（NH3-N）
        let digits = text.filter { $0.isNumber || $0 == "." }
        if !digits.isEmpty, let unit = MeasurementUnit.named(String(text.dropFirst(digits.count))),
           unit.dimension == .temperature { return true }              // 电导率（25℃）
        return false
    }

    /// The index of the first column with this role.
    func index(of role: ColumnRole) -> Int? { roles.firstIndex(of: role) }

    /// The header cells rivertrace ignores, for the summary.
    public var ignoredColumns: [String] {
        zip(names, roles).compactMap { $1 == .ignored && !$0.isEmpty ? $0 : nil }
    }
}
