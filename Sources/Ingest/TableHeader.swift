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

    /// Recognises a header row, or returns nil when it has no point and time columns.
    public init?(fields: [String]) {
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

    /// Splits `氨氮(mg/L)` into the name and the unit in brackets (round, full-width or square).
    static func splitUnit(_ header: String) -> (name: String, unit: String?) {
        let trimmed = Substring(header).trimmingSpaces
        guard let close = trimmed.last, close == ")" || close == "）" || close == "]" else {
            return (String(trimmed), nil)
        }
        guard let open = trimmed.lastIndex(where: { $0 == "(" || $0 == "（" || $0 == "[" }) else {
            return (String(trimmed), nil)
        }
        let name = String(trimmed[..<open].trimmingSpaces)
        let unit = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)].trimmingSpaces)
        return (name, unit)
    }

    /// The index of the first column with this role.
    func index(of role: ColumnRole) -> Int? { roles.firstIndex(of: role) }

    /// The header cells rivertrace ignores, for the summary.
    public var ignoredColumns: [String] {
        zip(names, roles).compactMap { $1 == .ignored && !$0.isEmpty ? $0 : nil }
    }
}
