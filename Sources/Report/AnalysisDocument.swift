import Foundation
import Standards
import Statistics
import Trace

/// The `analyze --json` document (schema in docs/json-schema.md). Later stages add trends, events, traces.
public struct AnalysisDocument: Sendable, Codable {
    /// Bumped on any change that could break a consumer.
    public var schemaVersion = 2
    public var generator = "rivertrace"
    public var period: EvaluationPeriod
    public var timeZone: String
    public var points: [PointResult]
    public var rivers: [GroupResult]
    public var district: GroupResult
    public var exceedances: [ExceedanceEpisode]
    /// Black-odorous grading of the points where transparency, DO, ORP or NH3-N were measured.
    public var blackOdorous: [BlackOdorousResult] = []
    /// Sensor faults at the stations: impossible values (left out of every mean), flat lines, spikes, dropouts.
    public var faults: [FaultFinding] = []
    /// Anomaly events at the stations: several parameters off their robust baselines together.
    public var events: [AnomalyEvent] = []
    /// Long-term trends of every point's main parameters (up to ten years before the period's end).
    public var trends: [SeriesTrend] = []
    /// Shifts found by Pettitt's test on the same monthly series.
    public var changePoints: [ChangePoint] = []
    /// Persistent pollution: per river and parameter, the stretches ranked by how much the period mean steps up.
    public var segments: [SegmentStep] = []
    /// The trace-back of every event: a suspect segment and candidate sources, or why it is not a source.
    public var traces: [TraceResult] = []
    /// The travel times the period's plumes showed, against the configured velocities (nil in documents written
    /// before they were learned).
    public var travelTimes: LearnedTravelTimes?
    /// The confidence below which a traced event was reported `uncertain`.
    public var uncertainBelow = TraceEngine.defaultUncertainBelow

    public init(period: EvaluationPeriod, timeZone: String, points: [PointResult], rivers: [GroupResult],
                district: GroupResult, exceedances: [ExceedanceEpisode]) {
        self.period = period
        self.timeZone = timeZone
        self.points = points
        self.rivers = rivers
        self.district = district
        self.exceedances = exceedances
    }

    /// The counts of this document, totals with their parts (encoded as `summary`).
    public var summary: AnalysisSummary { AnalysisSummary(self) }

    enum CodingKeys: String, CodingKey {
        case generator, period, points, rivers, district, exceedances
        case blackOdorous = "black_odorous"
        case faults, events, traces, trends, segments, summary, incidents
        case travelTimes = "travel_times"
        case uncertainBelow = "uncertain_below"
        case changePoints = "changepoints"
        case schemaVersion = "schema_version"
        case timeZone = "time_zone"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        generator = try container.decode(String.self, forKey: .generator)
        period = try container.decode(EvaluationPeriod.self, forKey: .period)
        timeZone = try container.decode(String.self, forKey: .timeZone)
        points = try container.decode([PointResult].self, forKey: .points)
        rivers = try container.decode([GroupResult].self, forKey: .rivers)
        district = try container.decode(GroupResult.self, forKey: .district)
        exceedances = try container.decode([ExceedanceEpisode].self, forKey: .exceedances)
        blackOdorous = try container.decodeIfPresent([BlackOdorousResult].self, forKey: .blackOdorous) ?? []
        faults = try container.decodeIfPresent([FaultFinding].self, forKey: .faults) ?? []
        events = try container.decodeIfPresent([AnomalyEvent].self, forKey: .events) ?? []
        trends = try container.decodeIfPresent([SeriesTrend].self, forKey: .trends) ?? []
        changePoints = try container.decodeIfPresent([ChangePoint].self, forKey: .changePoints) ?? []
        segments = try container.decodeIfPresent([SegmentStep].self, forKey: .segments) ?? []
        traces = try container.decodeIfPresent([TraceResult].self, forKey: .traces) ?? []
        travelTimes = try container.decodeIfPresent(LearnedTravelTimes.self, forKey: .travelTimes)
        uncertainBelow = try container.decodeIfPresent(Double.self, forKey: .uncertainBelow) ?? TraceEngine.defaultUncertainBelow
    }

    public func encode(to encoder: any Encoder) throws {
        try encode(to: encoder, leavingOut: [])
    }

    /// Encodes the document with the lists named in `leftOut` empty (``writeJSON(_:)`` writes them element by element).
    func encode(to encoder: any Encoder, leavingOut leftOut: Set<CodingKeys>) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        func list<T: Encodable>(_ key: CodingKeys, _ elements: @autoclosure () -> [T]) throws {
            try container.encode(leftOut.contains(key) ? [] : elements(), forKey: key)
        }
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(generator, forKey: .generator)
        try container.encode(period, forKey: .period)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(summary, forKey: .summary)
        try list(.points, points)
        try list(.rivers, rivers)
        try container.encode(district, forKey: .district)
        try list(.exceedances, exceedances)
        try list(.blackOdorous, blackOdorous)
        try list(.faults, faults)
        try list(.events, events)
        try list(.trends, trends)
        try list(.changePoints, changePoints)
        try list(.segments, segments)
        try list(.traces, traces)
        try list(.incidents, incidentRecords)
        try container.encodeIfPresent(travelTimes, forKey: .travelTimes)
        try container.encode(uncertainBelow, forKey: .uncertainBelow)
    }
}

/// One incident as `analyze --json` lists it: the trace that speaks for it and the events joined into it.
public struct IncidentRecord: Sendable, Codable, Equatable {
    /// The event whose trace speaks for the incident (its `traces[]` entry).
    public var leadPointID: String
    public var leadEventStart: Date
    /// The first event's start and the last one's end.
    public var start: Date
    public var end: Date
    public var suspectSegment: SuspectSegment?
    public var confidence: Double
    /// Every event joined, in time order: `point_id` and `event_start` of its `traces[]` entry.
    public var members: [Member]
    /// One station's events began at about the same local hour day after day (``Incident/dailyRecurrence(secondsFromGMT:)``);
    /// absent otherwise.
    public var dailyRecurrence: DailyRecurrence?

    public struct Member: Sendable, Codable, Equatable {
        public var pointID: String
        public var eventStart: Date

        enum CodingKeys: String, CodingKey {
            case pointID = "point_id"
            case eventStart = "event_start"
        }
    }

    init(_ incident: Incident, timeZone: TimeZone) {
        dailyRecurrence = incident.dailyRecurrence(secondsFromGMT: timeZone.secondsFromGMT(for: incident.lead.eventStart))
        leadPointID = incident.lead.pointID
        leadEventStart = incident.lead.eventStart
        start = incident.traces.map(\.eventStart).min() ?? incident.lead.eventStart
        end = incident.end
        suspectSegment = incident.lead.suspectSegment
        confidence = incident.lead.confidence
        members = incident.traces.map { Member(pointID: $0.pointID, eventStart: $0.eventStart) }
    }

    enum CodingKeys: String, CodingKey {
        case start, end, confidence, members
        case leadPointID = "lead_point_id"
        case leadEventStart = "lead_event_start"
        case suspectSegment = "suspect_segment"
        case dailyRecurrence = "daily_recurrence"
    }
}

extension AnalysisDocument {
    /// The leads of the period's incidents (``Incident/group(_:events:)``), in time order.
    public var incidents: [TraceResult] { incidentGroups.map(\.lead) }

    /// The period's incidents with every trace joined into each (``Incident/group(_:events:)``), in time order of their leads.
    public var incidentGroups: [Incident] { Incident.group(traces, events: events) }

    /// The incidents as `analyze --json` lists them, recurrences in the document's time zone (Asia/Shanghai when it
    /// names none the system knows).
    var incidentRecords: [IncidentRecord] {
        let zone = TimeZone(identifier: timeZone) ?? .chinaStandard
        return incidentGroups.map { IncidentRecord($0, timeZone: zone) }
    }
}
