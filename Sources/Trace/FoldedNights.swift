import Foundation
import RiverModel
import Statistics

extension AnomalyEvent {
    /// The nights of ``RecurringExcess`` findings at one station that no event of `events` already covers, as events:
    /// the pair of ``RecurringExcess/pairs`` that rose most in the night's window (their peak readings), from the
    /// first reading of those in the window to the last, with the run's folded statistic (``foldedScore``).
    public static func foldedNights(pointID: String, baselines: [Parameter: BaselineSeries], events: [AnomalyEvent],
                                    secondsFromGMT: Int,
                                    threshold: Double = RecurringExcess.threshold) -> [AnomalyEvent] {
        // The parameters of the pairs only: the others take no part.
        let paired = Set(RecurringExcess.pairs.flatMap { [$0.0, $0.1] })
        let channels = baselines.sorted { $0.key.code < $1.key.code }.compactMap { parameter, series -> RecurringExcess.Channel? in
            guard paired.contains(parameter.code) else { return nil }
            return switch parameter.pollutionEffect {
            case .raises: RecurringExcess.Channel(label: parameter.code, direction: 1, series: series)
            case .lowers: RecurringExcess.Channel(label: parameter.code, direction: -1, series: series)
            case .either: nil
            }
        }
        let byCode = Dictionary(uniqueKeysWithValues: baselines.keys.map { ($0.code, $0) })
        var found: [AnomalyEvent] = []
        let window = TimeInterval(RecurringExcess.windowHours * 3_600)
        for finding in RecurringExcess.find(channels: channels, secondsFromGMT: secondsFromGMT, threshold: threshold) {
            for night in finding.nights {
                let end = night.addingTimeInterval(window)
                guard !events.contains(where: { $0.pointID == pointID && $0.start < end && $0.end >= night }),
                      !found.contains(where: { $0.start < end && $0.end >= night }) else { continue }
                // Per parameter of the pairs: its peak reading in the window, and the window's first and last readings.
                var peaks: [String: NightPeak] = [:]
                for channel in channels {
                    let series = channel.series
                    let first = series.firstIndex(atOrAfter: night)
                    var index = first
                    var best = first
                    while index < series.times.count, series.times[index] < end {
                        if channel.direction * series.score(index) > channel.direction * series.score(best) { best = index }
                        index += 1
                    }
                    guard index > first, let parameter = byCode[channel.label] else { continue }
                    let peak = EventParameter(parameter: parameter, direction: channel.direction > 0 ? .rose : .fell,
                                              peak: series.values[best], baseline: series.expected[best],
                                              increment: series.values[best] - series.expected[best],
                                              score: series.score(best), peakTime: series.times[best])
                    peaks[channel.label] = NightPeak(parameter: peak, first: series.times[first], last: series.times[index - 1])
                }
                // The pair of parameters a kind of effluent moves together that rose most that night.
                var top: [NightPeak] = []
                for (a, b) in RecurringExcess.pairs {
                    guard let one = peaks[a], let other = peaks[b] else { continue }
                    let sum = abs(one.parameter.score) + abs(other.parameter.score)
                    let held = top.reduce(0.0) { $0 + abs($1.parameter.score) }
                    if top.isEmpty || sum > held {
                        top = abs(one.parameter.score) >= abs(other.parameter.score) ? [one, other] : [other, one]
                    }
                }
                guard let strongest = top.first else { continue }
                found.append(AnomalyEvent(pointID: pointID, start: min(top[0].first, top[1].first),
                                          end: max(top[0].last, top[1].last), peakTime: strongest.parameter.peakTime,
                                          parameters: top.map(\.parameter), foldedScore: (finding.score * 100).rounded() / 100))
            }
        }
        return found
    }
}

/// A parameter's peak reading in one night's window, and the window's first and last readings of it.
private struct NightPeak {
    var parameter: EventParameter
    var first: Date
    var last: Date
}
