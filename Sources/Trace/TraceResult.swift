import Foundation
import RiverModel

/// Where the source of an event lies: a stretch of one river between monitoring points.
public struct SuspectSegment: Sendable, Codable, Equatable {
    public var riverID: String
    /// The clean point above the stretch (nil: from the river's upstream end).
    public var fromPointID: String?
    /// The affected point below the stretch (nil: a tributary below its last point, down to its mouth).
    public var toPointID: String?
    public var fromKilometre: Double
    public var toKilometre: Double

    public init(riverID: String, fromPointID: String?, toPointID: String?, fromKilometre: Double, toKilometre: Double) {
        self.riverID = riverID
        self.fromPointID = fromPointID
        self.toPointID = toPointID
        self.fromKilometre = fromKilometre
        self.toKilometre = toKilometre
    }

    /// Whether a place on a river lies on this stretch.
    public func contains(riverID: String, kilometre: Double) -> Bool {
        riverID == self.riverID && kilometre >= fromKilometre - 1e-9 && kilometre <= toKilometre + 1e-9
    }

    enum CodingKeys: String, CodingKey {
        case riverID = "river_id"
        case fromPointID = "from_point_id"
        case toPointID = "to_point_id"
        case fromKilometre = "from_km"
        case toKilometre = "to_km"
    }
}

/// A possible source: a registered one from `sources.csv`, or an unregistered one on the segment.
public struct SourceCandidate: Sendable, Codable, Equatable {
    /// Where a candidate lies relative to the walk, which weighs its score.
    public enum Place: String, Sendable, Codable {
        /// On the suspect stretch (an unregistered source always is).
        case suspectStretch = "suspect_stretch"
        /// On a tributary joining it, above a station without usable readings, or on a branch not taken.
        case alternativeStretch = "alternative_stretch"
        /// On a stretch the walk passed, should a step's signal have been a coincidence.
        case passedStretch = "passed_stretch"
        /// Above a station that looked clean, should the plume have passed it too diluted to see.
        case aboveCleanStation = "above_clean_station"
    }

    /// nil: an unregistered source on the suspect segment.
    public var sourceID: String?
    /// 0…1: how well the source's signature and place fit the event.
    public var score: Double
    /// Why, in short phrases a field team reads (English; reports rebuild them from `place` and `signatureFit`).
    public var reasons: [String]
    /// nil only in documents written before it was added.
    public var place: Place?
    /// 0…1: how well the registered signature fits the event's changes (nil for an unregistered source).
    public var signatureFit: Double?

    public init(sourceID: String?, score: Double, reasons: [String], place: Place? = nil, signatureFit: Double? = nil) {
        self.sourceID = sourceID
        self.score = score
        self.reasons = reasons
        self.place = place
        self.signatureFit = signatureFit
    }

    enum CodingKeys: String, CodingKey {
        case score, reasons, place
        case sourceID = "source_id"
        case signatureFit = "signature_fit"
    }
}

/// What one point showed in the window where the pollution should have passed it.
public struct TraceEvidence: Sendable, Codable, Equatable {
    public enum Role: String, Sendable, Codable {
        /// The point where the event was seen.
        case event
        /// Upstream, and it saw the same signature at the right lag.
        case affected
        /// Upstream, with readings in the window, and nothing unusual.
        case clean
        /// Upstream, but without readings in the window.
        case noData = "no_data"
    }

    public var pointID: String
    public var role: Role
    /// The parameter the judgement rests on (the event's strongest that the point measures).
    public var parameter: Parameter?
    /// Travel time from this point to the event point by distance and velocity.
    public var nominalLagHours: Double
    /// The lag used: refined by cross-correlation where the data allow, else the expected one.
    public var lagHours: Double
    /// The travel time the period's plumes showed (``LearnedTravelTimes``), where it differs from the nominal one:
    /// the window is placed by it.
    public var learnedLagHours: Double?
    public var windowStart: Date
    public var windowEnd: Date
    /// Baseline and observed value at the strongest reading of the window.
    public var baseline: Double?
    public var observed: Double?
    public var score: Double?

    enum CodingKeys: String, CodingKey {
        case role, parameter, baseline, observed, score
        case pointID = "point_id"
        case nominalLagHours = "nominal_lag_hours"
        case learnedLagHours = "learned_lag_hours"
        case lagHours = "lag_hours"
        case windowStart = "window_start"
        case windowEnd = "window_end"
    }
}

/// The district-wide pattern (rain, mostly) an event came in: how many stations saw events at once.
public struct DistrictPattern: Sendable, Codable, Equatable {
    /// How the event was handled within it.
    public enum Handling: String, Sendable, Codable {
        /// Not traced: nothing in the event is beyond what the pattern does.
        case notTraced = "not_traced"
        /// Traced by the parameters the pattern does not explain (`parameters`), from the plume's arrival.
        case distinctive
        /// Traced by what persisted after the pattern ended (`parameters`), from then.
        case continuation
        /// The pattern began while the event was under way: traced by the event's part before it (`parameters`).
        case partBefore = "part_before"
    }

    /// Stations with an event under way within `withinHours` of the onset, this one included.
    public var stationsWithEvents: Int
    public var stations: Int
    /// Of the others, those without the travel lag a plume would show.
    public var withoutLag: Int
    public var withinHours: Int
    public var handling: Handling
    /// The parameters traced by (empty when not traced).
    public var parameters: [Parameter]
    /// True when the pattern wets only part of the district (fewer than 30 % of the stations): a storm cell, told by
    /// turbidity rising at most of its stations at once; absent when widespread.
    public var local: Bool?

    public init(stationsWithEvents: Int, stations: Int, withoutLag: Int, withinHours: Int, handling: Handling,
                parameters: [Parameter], local: Bool? = nil) {
        self.stationsWithEvents = stationsWithEvents
        self.stations = stations
        self.withoutLag = withoutLag
        self.withinHours = withinHours
        self.handling = handling
        self.parameters = parameters
        self.local = local
    }

    /// In a sentence, as `note` gives it.
    public var summary: String {
        "events at \(stationsWithEvents) of \(stations) stations within \(withinHours) h, \(withoutLag) of them without the "
            + "travel lag a plume would show" + (local == true ? ", turbidity up at most of them: local rain" : "")
    }

    enum CodingKeys: String, CodingKey {
        case stations, handling, parameters, local
        case stationsWithEvents = "stations_with_events"
        case withoutLag = "without_lag"
        case withinHours = "within_hours"
    }
}

/// What a trace could tell at a confluence on its way: which branch the plume came down, or that the data cannot say.
public struct ConfluenceCheck: Sendable, Codable, Equatable {
    public enum Finding: String, Sendable, Codable {
        /// Both branch stations saw the plume, and the tributary's load explains the rise below (mass balance).
        case tributary
        /// Both saw it, and the receiving river's load explains it.
        case receivingRiver = "receiving_river"
        /// The branches cannot be told apart: both loads explain it alike, or the suspect stretch takes in the mouth of a
        /// tributary below its last station, so the source may be on either. The field step: sample both branches just
        /// above the mouth first.
        case inseparable
    }

    public var tributaryID: String
    public var receivingRiverID: String
    /// Where the tributary joins, km on the receiving river.
    public var confluenceKilometre: Double
    public var finding: Finding
    /// With both branch stations affected: each branch's share of the rise below, from its relative rise and its
    /// share of the flow (rivers' lengths where no flows are given).
    public var tributaryShare: Double?
    public var receivingShare: Double?

    enum CodingKeys: String, CodingKey {
        case finding
        case tributaryID = "tributary_id"
        case receivingRiverID = "receiving_river_id"
        case confluenceKilometre = "confluence_km"
        case tributaryShare = "tributary_share"
        case receivingShare = "receiving_share"
    }
}

/// The trace-back of one anomaly event.
public struct TraceResult: Sendable, Codable, Equatable {
    public enum Verdict: String, Sendable, Codable {
        /// Traced to a segment: go and look there.
        case source
        /// Seen at many points at once, without a travel lag: rain or a district-wide pattern, not one outfall.
        case districtWide = "district_wide"
        /// The readings are a sensor fault, not the water.
        case sensorFault = "sensor_fault"
        /// Traced, but the confidence is below ``TraceEngine/uncertainBelow``: the stretch is a guess, and `settledBy`
        /// says what would settle it. Not sent to a field team.
        case uncertain
        /// Nothing in the event moved the way effluent moves it (DO up, a nutrient down): not pollution to trace.
        case notPollution = "not_pollution"
    }

    public var pointID: String
    public var eventStart: Date
    /// Where later than the event's start, the moment the upstream stations were judged from: when a plume arriving
    /// during rain (or another district-wide pattern) reached the point, or, for an event that outlasted the
    /// pattern, when the rest of the district was normal again (see `DistrictPattern.Handling`).
    public var tracedFrom: Date?
    public var peakTime: Date
    public var verdict: Verdict
    /// The parameters that rose and fell at the event point.
    public var rose: [Parameter]
    public var fell: [Parameter]
    public var suspectSegment: SuspectSegment?
    /// Other stretches the source may be on (tributaries joining the suspect stretch below their last point).
    public var alternativeSegments: [SuspectSegment]
    /// Best first; always includes an unregistered source on the segment.
    public var candidates: [SourceCandidate]
    /// 0…1.
    public var confidence: Double
    public var evidence: [TraceEvidence]
    /// Points walked, downstream to upstream.
    public var walked: [String]
    /// For non-source verdicts: why.
    public var note: String?
    /// The district-wide pattern the event came in, if any.
    public var districtPattern: DistrictPattern?
    /// For a `sensorFault` verdict no detected fault covers: what the readings look like (a spike, a drift or a
    /// calibration step in one parameter, which effluent does not make).
    public var suspectedFault: FaultKind?
    /// The one parameter the suspected fault is in: the analyser to check.
    public var suspectedFaultParameter: Parameter?
    /// What the walk could tell at the confluence nearest the source (nil where the suspect stretch has none).
    public var confluence: ConfluenceCheck?
    /// For a source verdict: whether the station below saw the plume go on (nil without a station below).
    public var downstream: DownstreamCheck?
    /// For a source verdict: the facts its confidence is computed from.
    public var confidenceBasis: ConfidenceBasis?
    /// For an uncertain verdict: what would settle it, most telling first.
    public var settledBy: [SettlingStep]?

    enum CodingKeys: String, CodingKey {
        case verdict, rose, fell, candidates, confidence, evidence, walked, note
        case pointID = "point_id"
        case eventStart = "event_start"
        case tracedFrom = "traced_from"
        case districtPattern = "district_pattern"
        case suspectedFault = "suspected_fault"
        case suspectedFaultParameter = "suspected_fault_parameter"
        case confluence, downstream
        case confidenceBasis = "confidence_basis"
        case settledBy = "settled_by"
        case peakTime = "peak_time"
        case suspectSegment = "suspect_segment"
        case alternativeSegments = "alternative_segments"
    }
}
