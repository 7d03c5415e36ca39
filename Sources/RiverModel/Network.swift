import Foundation

/// A river of the district (one row of `rivers.csv`).
public struct River: Sendable, Hashable, Codable {
    /// Identifier used in files (`LDH`).
    public var id: String
    /// Name as people say it (李大河).
    public var name: String
    /// The river this one joins, or nil where it leaves the district.
    public var flowsInto: String?
    /// Where on `flowsInto` it joins, km from that river's upstream end.
    public var confluenceKilometres: Double?
    /// Length within the district, km.
    public var lengthKilometres: Double
    /// Typical flow speed, m/s: travel times come from it.
    public var velocityMetresPerSecond: Double
    /// The water-quality target (水质目标), when set.
    public var targetClass: WaterClass?
    /// A river, or a lake or reservoir (evaluated by their own limits, with a trophic state).
    public var waterBody: WaterBody
    /// The name English reports print (`name_en`); nil = the Chinese name.
    public var englishName: String?

    public init(id: String, name: String, flowsInto: String?, confluenceKilometres: Double?,
                lengthKilometres: Double, velocityMetresPerSecond: Double, targetClass: WaterClass?,
                waterBody: WaterBody = .river, englishName: String? = nil) {
        self.id = id
        self.name = name
        self.englishName = englishName
        self.flowsInto = flowsInto
        self.confluenceKilometres = confluenceKilometres
        self.lengthKilometres = lengthKilometres
        self.velocityMetresPerSecond = velocityMetresPerSecond
        self.targetClass = targetClass
        self.waterBody = waterBody
    }
}

/// The kind of water body (水体类型): GB 3838-2002 has separate TP limits for lakes and reservoirs (湖、库), and a TN
/// limit that applies to them only.
public enum WaterBody: String, Sendable, Codable, CaseIterable {
    case river
    case lake
    case reservoir

    /// Lakes and reservoirs share their limits and their evaluation (湖库).
    public var isLakeOrReservoir: Bool { self != .river }

    /// The kind a `water_body` cell names: river / lake / reservoir, or 河流 / 湖泊 / 水库 (also 河, 湖, 库); nil else.
    public init?(cell: String) {
        switch cell.lowercased() {
        case "river", "河流", "河", "河道": self = .river
        case "lake", "湖泊", "湖": self = .lake
        case "reservoir", "水库", "库": self = .reservoir
        default: return nil
        }
    }
}

/// A thing of the network files with a Chinese name and, optionally, an English one (`name_en`).
public protocol NetworkNamed {
    /// The name as the district writes it (Chinese, usually).
    var name: String { get }
    /// The English name, when the network files give one.
    var englishName: String? { get }
}

extension River: NetworkNamed {}
extension MonitoringPoint: NetworkNamed {}
extension RegisteredSource: NetworkNamed {}

/// How a monitoring point is sampled.
public enum PointKind: String, Sendable, Codable, CaseIterable {
    /// An automatic station exporting every 1–4 h.
    case automatic = "auto"
    /// Manual (lab) sampling, typically monthly.
    case manual
}

/// A monitoring point (监测点位 / 断面), one row of `points.csv`.
public struct MonitoringPoint: Sendable, Hashable, Codable {
    /// Identifier used in files (`LDH-03`).
    public var id: String
    /// Name as exports spell it (断面名称).
    public var name: String
    /// The river it stands on.
    public var riverID: String
    /// Distance from the river's upstream end, km, growing downstream.
    public var kilometre: Double
    /// Latitude, degrees (WGS 84).
    public var latitude: Double?
    /// Longitude, degrees (WGS 84).
    public var longitude: Double?
    /// The point's own target class; overrides the river's.
    public var ownTargetClass: WaterClass?
    /// Automatic station or manual sampling.
    public var kind: PointKind
    /// The name English reports print (`name_en`); nil = the Chinese name.
    public var englishName: String?

    public init(id: String, name: String, riverID: String, kilometre: Double, latitude: Double?,
                longitude: Double?, ownTargetClass: WaterClass?, kind: PointKind, englishName: String? = nil) {
        self.id = id
        self.name = name
        self.englishName = englishName
        self.riverID = riverID
        self.kilometre = kilometre
        self.latitude = latitude
        self.longitude = longitude
        self.ownTargetClass = ownTargetClass
        self.kind = kind
    }
}

/// The pollutant profile a registered source is expected to show.
public enum SourceSignature: String, Sendable, Codable, CaseIterable {
    case domestic, industrial, agricultural, stormwater, mixed, unknown
}

/// A registered source: an enterprise, outfall, pump station… (one row of `sources.csv`).
public struct RegisteredSource: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// What it is (enterprise, outfall, pump_station, …), free text.
    public var kind: String
    public var riverID: String
    /// Where it discharges, km from the river's upstream end.
    public var kilometre: Double
    public var signature: SourceSignature
    /// Surveyed latitude and longitude, degrees (WGS 84), when `sources.csv` gives them; else reports place the source
    /// along its river (``Network/position(of:)``).
    public var latitude: Double?
    public var longitude: Double?
    /// The name English reports print (`name_en`); nil = the Chinese name.
    public var englishName: String?

    public init(id: String, name: String, kind: String, riverID: String, kilometre: Double,
                signature: SourceSignature, latitude: Double? = nil, longitude: Double? = nil, englishName: String? = nil) {
        self.id = id
        self.name = name
        self.englishName = englishName
        self.kind = kind
        self.riverID = riverID
        self.kilometre = kilometre
        self.signature = signature
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// The district's river network: rivers, monitoring points, registered sources, and the river tree.
///
/// Built only by a loader that has validated it (ids unique and known, no cycles, km within length).
public struct Network: Sendable {
    public let rivers: [River]
    public let points: [MonitoringPoint]
    public let sources: [RegisteredSource]
    /// The river chiefs (河长) of `river_chiefs.csv`; nil when the network has no such file.
    public let chiefs: [RiverChief]?
    /// The measures in force (一河一策 措施) of `river_plans.csv`; nil when the network has no such file.
    public let measures: [RiverMeasure]?
    private let riverIndex: [String: Int]
    private let pointIndex: [String: Int]
    private let pointNameIndex: [String: Int]

    /// Assembles a network from already-validated parts.
    public init(rivers: [River], points: [MonitoringPoint], sources: [RegisteredSource], chiefs: [RiverChief]? = nil,
                measures: [RiverMeasure]? = nil) {
        self.rivers = rivers
        self.points = points
        self.sources = sources
        self.chiefs = chiefs
        self.measures = measures
        riverIndex = Dictionary(rivers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        pointIndex = Dictionary(points.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        pointNameIndex = Dictionary(points.enumerated().map { (Network.nameKey($1.name), $0) },
                                    uniquingKeysWith: { first, _ in first })
    }

    /// An empty network (no points known): every reading would be rejected as an unknown point.
    public static let empty = Network(rivers: [], points: [], sources: [])

    /// The river with this id.
    public func river(_ id: String) -> River? { riverIndex[id].map { rivers[$0] } }

    /// The point with this id.
    public func point(_ id: String) -> MonitoringPoint? { pointIndex[id].map { points[$0] } }

    /// The point a dump names, by id first, then by name (ignoring spaces and full-width forms).
    public func point(identifiedBy text: String) -> MonitoringPoint? {
        if let index = pointIndex[text] { return points[index] }
        return pointNameIndex[Network.nameKey(text)].map { points[$0] }
    }

    /// The position in `points` of the point a dump names, found as ``point(identifiedBy:)`` finds it.
    public func pointPosition(identifiedBy text: String) -> Int? {
        pointIndex[text] ?? pointNameIndex[Network.nameKey(text)]
    }

    /// The target class of a point: its own, else its river's.
    public func targetClass(of point: MonitoringPoint) -> WaterClass? {
        point.ownTargetClass ?? river(point.riverID)?.targetClass
    }

    /// The points on a river, upstream to downstream.
    public func points(on riverID: String) -> [MonitoringPoint] {
        points.filter { $0.riverID == riverID }.sorted { $0.kilometre < $1.kilometre }
    }

    /// The rivers that join `riverID` directly, upstream to downstream by confluence.
    public func tributaries(of riverID: String) -> [River] {
        rivers.filter { $0.flowsInto == riverID }.sorted { ($0.confluenceKilometres ?? 0) < ($1.confluenceKilometres ?? 0) }
    }

    /// Rivers from the outlet(s) down the tree, each before its tributaries: the order reports list them in.
    public var riversInTreeOrder: [River] {
        var ordered: [River] = []
        func visit(_ river: River) {
            ordered.append(river)
            for tributary in tributaries(of: river.id) { visit(tributary) }
        }
        for outlet in rivers where outlet.flowsInto == nil { visit(outlet) }
        return ordered
    }

    static func nameKey(_ name: String) -> String {
        Parameter.normalizedHeader(name)
    }
}
