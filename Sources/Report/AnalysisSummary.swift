import Foundation
import RiverModel
import Standards
import Trace

/// The counts of an analysis, each total with the parts that make it up, so that no report or consumer has to add
/// them up itself and every sentence that quotes a total quotes parts that add up to it (`analyze --json` `summary`).
public struct AnalysisSummary: Sendable, Codable, Equatable {
    /// Points of the network: `assessed + notAssessed = total`; of the assessed, `meetingTarget + missingTarget +
    /// withoutTarget = assessed`.
    public struct Points: Sendable, Codable, Equatable {
        public var total: Int
        public var assessed: Int
        /// Points without a class: no data, or not enough (completeness below the threshold) for any class parameter.
        public var notAssessed: Int
        public var meetingTarget: Int
        public var missingTarget: Int
        public var withoutTarget: Int
        /// Assessed points per class (I, II, III, IV, V, 劣V): the counts add up to `assessed`.
        public var byClass: [String: Int]

        enum CodingKeys: String, CodingKey {
            case total, assessed
            case notAssessed = "not_assessed"
            case meetingTarget = "meeting_target"
            case missingTarget = "missing_target"
            case withoutTarget = "without_target"
            case byClass = "by_class"
        }
    }

    /// Anomaly events by the trace's verdict: `source + uncertain + districtWide + sensorFault + notPollution = total`.
    public struct Events: Sendable, Codable, Equatable {
        public var total: Int
        /// Events traced to a source stretch…
        public var source: Int
        /// …which make this many incidents (one pollution episode: one incident).
        public var incidents: Int
        /// Traced, but below the confidence a verdict is sent out at.
        public var uncertain: Int
        public var districtWide: Int
        public var sensorFault: Int
        /// Nothing in them moved the way effluent moves it.
        public var notPollution: Int

        enum CodingKeys: String, CodingKey {
            case total, source, incidents, uncertain
            case districtWide = "district_wide"
            case sensorFault = "sensor_fault"
            case notPollution = "not_pollution"
        }
    }

    /// Sensor-fault findings by kind: the counts add up to `total`.
    public struct Faults: Sendable, Codable, Equatable {
        public var total: Int
        public var byKind: [String: Int]

        enum CodingKeys: String, CodingKey {
            case total
            case byKind = "by_kind"
        }
    }

    /// How much of the period's expected data the store holds: points with data + points without = the network's.
    public struct Coverage: Sendable, Codable, Equatable {
        /// Mean over every point of its completeness (有效数据率; a point without data counts 0), 0…1.
        public var overall: Double
        public var pointsWithData: Int
        /// Points with no reading at all in the period, by id.
        public var pointsWithoutData: [String]
        /// Points with data but below full completeness, by id.
        public var pointsPartial: [String]

        enum CodingKeys: String, CodingKey {
            case overall
            case pointsWithData = "points_with_data"
            case pointsWithoutData = "points_without_data"
            case pointsPartial = "points_partial"
        }
    }

    public var points: Points
    public var coverage: Coverage
    public var events: Events
    public var faults: Faults
    public var exceedances: Int
    /// Black-odorous points by grade (light, severe): the counts add up to the number of graded points.
    public var blackOdorous: [String: Int]

    enum CodingKeys: String, CodingKey {
        case points, coverage, events, faults, exceedances
        case blackOdorous = "black_odorous"
    }

    /// The counts of `document`.
    public init(_ document: AnalysisDocument) {
        let assessed = document.points.filter { $0.waterClass != nil }
        var byClass: [String: Int] = [:]
        for waterClass in WaterClass.allCases { byClass[waterClass.code] = 0 }
        for point in assessed { byClass[point.waterClass!.code, default: 0] += 1 }
        points = Points(total: document.points.count, assessed: assessed.count,
                        notAssessed: document.points.count - assessed.count,
                        meetingTarget: assessed.filter { $0.meetsTarget == true }.count,
                        missingTarget: assessed.filter { $0.meetsTarget == false }.count,
                        withoutTarget: assessed.filter { $0.meetsTarget == nil }.count, byClass: byClass)
        let withData = document.points.filter { point in point.parameters.contains { $0.readings > 0 } }
        let ids = Set(withData.map(\.pointID))
        coverage = Coverage(
            overall: document.points.isEmpty ? 0
                : withData.reduce(0) { $0 + min(1, max(0, $1.completeness)) } / Double(document.points.count),
            pointsWithData: withData.count,
            pointsWithoutData: document.points.map(\.pointID).filter { !ids.contains($0) },
            pointsPartial: withData.filter { $0.completeness < 1 }.map(\.pointID))
        let traces = document.traces
        events = Events(total: traces.count, source: traces.filter { $0.verdict == .source }.count,
                        incidents: document.incidents.count,
                        uncertain: traces.filter { $0.verdict == .uncertain }.count,
                        districtWide: traces.filter { $0.verdict == .districtWide }.count,
                        sensorFault: traces.filter { $0.verdict == .sensorFault }.count,
                        notPollution: traces.filter { $0.verdict == .notPollution }.count)
        faults = Faults(total: document.faults.count,
                        byKind: Dictionary(grouping: document.faults, by: \.kind.code).mapValues(\.count))
        exceedances = document.exceedances.count
        blackOdorous = Dictionary(grouping: document.blackOdorous, by: { $0.grade.rawValue }).mapValues(\.count)
    }
}
