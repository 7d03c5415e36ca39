import Foundation
@testable import Statistics
import Testing

/// 40 days of hourly readings from 2025-03-01 00:00 UTC (the clock in UTC: offset 0), level 100, noise of width 2
/// drawn by a fixed linear congruential generator (the sum of four uniforms, centred), plus `bump` from 22:00 for
/// 3 h on each day of `nights`.
private func channel(_ label: String, seed: UInt64, bump: Double, nights: [Int]) -> RecurringExcess.Channel {
    var state = seed
    func uniform() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
    let start = Date(timeIntervalSince1970: 1_740_787_200)
    let hours = 40 * 24
    var values = (0..<hours).map { _ in 100 + 2 * ((0..<4).map { _ in uniform() }.reduce(0, +) - 2) * 1.7 }
    for night in nights {
        for hour in 0..<3 where night * 24 + 22 + hour < hours { values[night * 24 + 22 + hour] += bump }
    }
    let times = (0..<hours).map { start.addingTimeInterval(Double($0) * 3_600) }
    return RecurringExcess.Channel(label: label, direction: 1,
                                   series: RobustBaseline.fit(times: times, values: values, secondsFromGMT: 0,
                                                              minimumScale: 0.1, pollution: .raises))
}

@Suite("Nights folded together")
struct RecurringExcessTests {
    /// Six nights in a row (days 20–25) with conductivity and CODMn each 2.5 noise widths up for 3 h from 22:00: a
    /// rise no single night's detector takes (it asks for 3 in two parameters).
    private let nights = Array(20...25)

    @Test("conductivity and CODMn 2.5 noise widths up at 22:00 on six nights in a row make one run, holding those nights")
    func sixNightsFound() {
        let found = RecurringExcess.find(channels: [channel("cond", seed: 1, bump: 5, nights: nights),
                                                    channel("codmn", seed: 2, bump: 5, nights: nights)],
                                         secondsFromGMT: 0)
        #expect(found.count == 1)
        let start = Date(timeIntervalSince1970: 1_740_787_200)
        let days = Set(found.first?.nights.map { Int($0.timeIntervalSince(start) / 86_400) } ?? [])
        #expect(days.isSuperset(of: Set(21...24)), "the run's middle nights at least")
        #expect(days.isSubset(of: Set(19...25)), "no night outside the bumps (the window opens up to 3 h before 22:00)")
        let hours = Set(found.first?.nights.map { Int($0.timeIntervalSince(start) / 3_600) % 24 } ?? [])
        #expect(!hours.isEmpty && hours.isSubset(of: [19, 20, 21, 22, 23, 0]), "windows of 4 h overlapping 22:00–01:00")
    }

    @Test("the same noise without the bumps makes no run")
    func noiseAlone() {
        let found = RecurringExcess.find(channels: [channel("cond", seed: 1, bump: 0, nights: []),
                                                    channel("codmn", seed: 2, bump: 0, nights: [])],
                                         secondsFromGMT: 0)
        #expect(found.isEmpty)
    }

    @Test("the bumps in conductivity alone make no run: effluent moves both of a pair")
    func oneParameterAlone() {
        let found = RecurringExcess.find(channels: [channel("cond", seed: 1, bump: 5, nights: nights),
                                                    channel("codmn", seed: 2, bump: 0, nights: [])],
                                         secondsFromGMT: 0)
        #expect(found.isEmpty)
    }

    @Test("both parameters up all day on those six days (rain, a leak) make no run: not one hour of the day")
    func allDayIsNoRepeat() {
        func allDay(_ label: String, seed: UInt64) -> RecurringExcess.Channel {
            var channel = channel(label, seed: seed, bump: 0, nights: [])
            let series = channel.series
            let values = series.values.enumerated().map { index, value in (20 * 24..<26 * 24).contains(index) ? value + 5 : value }
            channel.series = RobustBaseline.fit(times: series.times, values: values, secondsFromGMT: 0, minimumScale: 0.1,
                                                pollution: .raises)
            return channel
        }
        #expect(RecurringExcess.find(channels: [allDay("cond", seed: 1), allDay("codmn", seed: 2)], secondsFromGMT: 0).isEmpty)
    }
}
