import Foundation
import RiverModel

/// A run of readings worse than the target-class limit (超标时段).
public struct ExceedanceEpisode: Sendable, Codable, Equatable {
    public var pointID: String
    public var parameter: Parameter
    public var targetClass: WaterClass
    /// The limit crossed (for pH: the nearer end of 6–9).
    public var limit: Double
    public var start: Date
    /// The last reading of the run.
    public var end: Date
    /// The worst value (highest; lowest for DO).
    public var peak: Double
    public var readings: Int

    public init(pointID: String, parameter: Parameter, targetClass: WaterClass, limit: Double, start: Date, end: Date,
                peak: Double, readings: Int) {
        self.pointID = pointID
        self.parameter = parameter
        self.targetClass = targetClass
        self.limit = limit
        self.start = start
        self.end = end
        self.peak = peak
        self.readings = readings
    }

    enum CodingKeys: String, CodingKey {
        case parameter, limit, start, end, peak, readings
        case pointID = "point_id"
        case targetClass = "target_class"
    }

    /// Hours from the first to the last reading of the run.
    public var hours: Double { end.timeIntervalSince(start) / 3600 }
}

/// Finds exceedance episodes in a series.
public enum ExceedanceFinder {
    /// Runs of valid readings that miss `target`; a gap longer than `maxGap` (or one valid reading that meets
    /// the target) ends a run. Censored readings never count as exceeding.
    /// Each reading is rounded as the evaluation rounds it before it is compared (``GB3838/classify(_:_:body:)``).
    public static func episodes(pointID: String, parameter: Parameter, observations: [Observation],
                                target: WaterClass, body: WaterBody = .river,
                                maxGap: TimeInterval = 3 * 3_600) -> [ExceedanceEpisode] {
        guard parameter == .pH || GB3838.limit(parameter, target, body: body) != nil else { return [] }
        var episodes: [ExceedanceEpisode] = []
        var current: ExceedanceEpisode?
        var lastTime: Date?
        for observation in observations {
            guard let value = observation.waterValue(of: parameter) else { continue }
            if let open = current, let last = lastTime, observation.time.timeIntervalSince(last) > maxGap {
                episodes.append(open)
                current = nil
            }
            lastTime = observation.time
            let exceeds = GB3838.meets(parameter, value, target: target, body: body) == false
            if exceeds {
                let limit = parameter == .pH ? (value < 6 ? 6 : 9) : GB3838.limit(parameter, target, body: body)!
                if var open = current {
                    open.end = observation.time
                    open.readings += 1
                    let worse = parameter == .dissolvedOxygen ? value < open.peak
                        : parameter == .pH ? abs(value - 7.5) > abs(open.peak - 7.5) : value > open.peak
                    if worse { open.peak = value }
                    current = open
                } else {
                    current = ExceedanceEpisode(pointID: pointID, parameter: parameter, targetClass: target,
                                                limit: limit, start: observation.time, end: observation.time,
                                                peak: value, readings: 1)
                }
            } else if let open = current {
                episodes.append(open)
                current = nil
            }
        }
        if let open = current { episodes.append(open) }
        return episodes
    }
}
