import Foundation
import Statistics
import Testing

/// Hand-made station pairs: a shared water signal (day cycle, slow wander) plus each sensor's own noise, from a
/// fixed-seed generator so every run sees the same numbers.
private struct Noise {
    var state: UInt64
    /// Roughly normal (sum of four uniforms, centred, unit variance).
    mutating func next() -> Double {
        var sum = 0.0
        for _ in 0..<4 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            sum += Double(state >> 11) / Double(1 << 53)
        }
        return (sum - 2) * 3.0.squareRoot()
    }
}

private let origin = Date(timeIntervalSince1970: 1_782_835_200)
private func hour(_ h: Double) -> Date { origin.addingTimeInterval(h * 3600) }

/// Hourly NH3-N-like concentrations at two stations: the same water (day cycle, a slow wander), 4 % noise each.
private func pair(days: Int, seed: UInt64 = 1) -> (times: [Date], station: [Double], neighbour: [Double]) {
    var noise = Noise(state: seed)
    var times: [Date] = [], station: [Double] = [], neighbour: [Double] = []
    for h in 0..<(days * 24) {
        let water = 1 + 0.05 * sin(2 * .pi * Double(h) / 24) + 0.05 * sin(2 * .pi * Double(h) / 400)
        times.append(hour(Double(h)))
        station.append(0.8 * water * (1 + 0.04 * noise.next()))
        neighbour.append(0.5 * water * (1 + 0.04 * noise.next()))
    }
    return (times, station, neighbour)
}

@Suite("drift, clock offset and rate of change against a neighbour")
struct NeighbourFaultTests {
    @Test("a ramp of 15 % a day for 5 days against a steady neighbour is a drift starting where the ramp starts")
    func rampIsDrift() {
        let made = pair(days: 24)
        let times = made.times, neighbour = made.neighbour
        var station = made.station
        let start = 10.0 * 24 + 5
        for index in station.indices {
            let h = Double(index)
            if h >= start && h <= start + 120 { station[index] *= 1 + 0.15 * (h - start) / 24 }
        }
        let found = NeighbourFaultDetector.drifts(times: times, values: station, reference: neighbour.map { $0 },
                                                  scale: .ratio, minimumChange: log(1.25))
        #expect(found.count == 1)
        guard let drift = found.first else { return }
        #expect(drift.kind == .drift)
        #expect(abs(drift.start.timeIntervalSince(hour(start))) <= 6 * 3600, "start \(drift.start)")
        #expect(abs(drift.end.timeIntervalSince(hour(start + 120))) <= 12 * 3600, "end \(drift.end)")
    }

    @Test("a pollution pulse of two days seen at the station and, three hours later, at the neighbour is no drift")
    func sharedPulseIsNotDrift() {
        let made = pair(days: 24, seed: 2)
        let times = made.times
        var station = made.station, neighbour = made.neighbour
        for index in station.indices {
            let h = Double(index)
            if h >= 200 && h < 248 { station[index] *= 4 }
            if h >= 203 && h < 251 { neighbour[index] *= 3 }
        }
        let reference = neighbour.map { Optional($0) }
        #expect(NeighbourFaultDetector.drifts(times: times, values: station, reference: reference, scale: .ratio,
                                              minimumChange: log(1.25)).isEmpty)
        #expect(NeighbourFaultDetector.rateOfChange(times: times, values: station, reference: reference, scale: .ratio,
                                                    limitPerHour: log(8)).isEmpty)
    }

    @Test("a sewage leak of five days at the station alone (a step up and down, not a ramp) is no drift")
    func stepIsNotDrift() {
        let made = pair(days: 24, seed: 3)
        let times = made.times, neighbour = made.neighbour
        var station = made.station
        for index in station.indices where index >= 220 && index < 340 {
            // The front arrives over two hours.
            station[index] *= 1 + 2 * min(1, Double(index - 219) / 2)
        }
        #expect(NeighbourFaultDetector.drifts(times: times, values: station, reference: neighbour.map { $0 },
                                              scale: .ratio, minimumChange: log(1.25)).isEmpty)
    }

    @Test("a clean pair gives no drift, no rate-of-change and no clock offset")
    func cleanPair() {
        let (times, station, neighbour) = pair(days: 30, seed: 4)
        let reference = neighbour.map { Optional($0) }
        #expect(NeighbourFaultDetector.drifts(times: times, values: station, reference: reference, scale: .ratio,
                                              minimumChange: log(1.25)).isEmpty)
        #expect(NeighbourFaultDetector.rateOfChange(times: times, values: station, reference: reference, scale: .ratio,
                                                    limitPerHour: log(8)).isEmpty)
        let temperature = diurnal(days: 30, seed: 5)
        #expect(NeighbourFaultDetector.clockOffsets(times: temperature.times, channels: temperature.station,
                                                    references: temperature.reference).isEmpty)
    }

    /// Temperature (1.2 ℃ day cycle) and DO (0.8 mg/L) at a station and its reference, centred, hourly; the station's
    /// readings labelled one hour late from `shiftFrom` to `shiftTo` (the hour `shiftFrom` is missing).
    private func diurnal(days: Int, seed: UInt64, shiftFrom: Int? = nil, shiftTo: Int = 0, skip: Int? = nil)
        -> (times: [Date], station: [[Double?]], reference: [[Double?]]) {
        var noise = Noise(state: seed)
        let amplitudes = [1.2, 0.8], noises = [0.2, 0.15]
        func water(_ channel: Int, _ h: Double) -> Double { amplitudes[channel] * sin(2 * .pi * (h - 9) / 24) }
        var times: [Date] = []
        var station: [[Double?]] = [[], []], reference: [[Double?]] = [[], []]
        for h in 0..<(days * 24) {
            if h == shiftFrom || h == skip { continue }
            // Labelled h, measured at h − 1 while the clock runs an hour ahead.
            let measured = shiftFrom.map { h > $0 && h <= shiftTo + 1 } == true ? Double(h - 1) : Double(h)
            times.append(hour(Double(h)))
            for channel in 0..<2 {
                station[channel].append(water(channel, measured) + noises[channel] * noise.next())
                reference[channel].append(water(channel, Double(h)) + 0.5 * noises[channel] * noise.next())
            }
        }
        return (times, station, reference)
    }

    @Test("a station whose clock jumps an hour ahead for a day is found, from the skipped hour to the shift's end")
    func shiftedClock() {
        let shifted = diurnal(days: 14, seed: 6, shiftFrom: 150, shiftTo: 176)
        let found = NeighbourFaultDetector.clockOffsets(times: shifted.times, channels: shifted.station,
                                                        references: shifted.reference)
        #expect(found.count == 1)
        guard let offset = found.first else { return }
        #expect(offset.kind == .clockOffset)
        #expect(offset.start == hour(150))
        #expect(abs(offset.end.timeIntervalSince(hour(177))) <= 4 * 3600, "end \(offset.end)")
        #expect(abs((offset.value ?? 0) - 1) < 0.5, "lag \(offset.value ?? .nan) h")
    }

    @Test("a reading missing without a shift of the day cycle is no clock offset")
    func missingReadingAlone() {
        let gap = diurnal(days: 14, seed: 7, skip: 150)
        #expect(NeighbourFaultDetector.clockOffsets(times: gap.times, channels: gap.station, references: gap.reference).isEmpty)
    }

    @Test("a pH that jumps three units and stays, while the neighbour does not, breaks the rate of change")
    func persistentJump() {
        var noise = Noise(state: 8)
        let times = (0..<72).map { hour(Double($0)) }
        let neighbour = times.indices.map { _ in Optional(7.4 + 0.05 * noise.next()) }
        let station = times.indices.map { 7.5 + ($0 >= 40 ? 3 : 0) + 0.05 * noise.next() }
        let found = NeighbourFaultDetector.rateOfChange(times: times, values: station, reference: neighbour,
                                                        scale: .difference, limitPerHour: 2)
        #expect(found.map(\.start) == [hour(39)])
    }

    @Test("conductivity rising eightfold in an hour for a 4-hour pulse at an outfall is water, not a rate fault")
    func outfallPulse() {
        let times = (0..<48).map { hour(Double($0)) }
        let neighbour = times.map { _ in Optional(500.0) }
        let station = times.indices.map { index -> Double in (20..<24).contains(index) ? 4000 : 500 }
        #expect(NeighbourFaultDetector.rateOfChange(times: times, values: station, reference: neighbour,
                                                    scale: .ratio, limitPerHour: log(5)).isEmpty)
    }

    @Test("the district-wide reference equals, station by station, the median of the others' normalised readings")
    func batchReference() {
        let times = (0..<6).map { hour(Double($0)) }
        let stations: [(times: [Date], values: [Double])] = [
            (times, [1, 2, 3, 4, 5, 6]),
            (Array(times.dropFirst()), [10, 10, 20, 20, 40]),
            (times, [0.5, 0.5, 0.5, 1, 1, 1]),
            (Array(times.prefix(3)), [7, 8, 9]),
            // A median of 0: no ratio to it, so it adds nothing to the others' references but still gets one.
            (times, [0, 0, 0, 0, 2, 0]),
        ]
        let batch = NeighbourFaultDetector.referenceSeries(for: stations, scale: .ratio)
        // By hand, hour 0 of the last station: 1 / 3.5, 0.5 / 0.75 and 7 / 8 → their median 0.5 / 0.75.
        #expect(batch[4][0] == 0.5 / 0.75)
        for (index, station) in stations.enumerated() {
            let others = stations.indices.filter { $0 != index }.map { other in
                Dictionary(uniqueKeysWithValues: zip(stations[other].times, stations[other].values))
            }
            let single = NeighbourFaultDetector.referenceSeries(at: station.times, others: others, scale: .ratio)
            #expect(batch[index] == single, "station \(index)")
        }
    }

    @Test("NH3-N falling to a tenth within the hour, to a level it never had, is a rate fault; rising tenfold is not counted")
    func concentrationFallsOnly() {
        let times = (0..<72).map { hour(Double($0)) }
        let neighbour = times.map { _ in Optional(0.5) }
        let falling = times.indices.map { $0 >= 40 ? 0.05 : 0.5 }
        let rising = times.indices.map { $0 >= 40 ? 5.0 : 0.5 }
        #expect(NeighbourFaultDetector.rateOfChange(times: times, values: falling, reference: neighbour, scale: .ratio,
                                                    limitPerHour: log(8), fallsOnly: true).map(\.start) == [hour(39)])
        #expect(NeighbourFaultDetector.rateOfChange(times: times, values: rising, reference: neighbour, scale: .ratio,
                                                    limitPerHour: log(8), fallsOnly: true).isEmpty)
    }

    @Test("the end of a five-day sewage leak, back to the level before it, is not a rate fault")
    func leakEnding() {
        let times = (0..<240).map { hour(Double($0)) }
        let neighbour = times.map { _ in Optional(0.5) }
        let station = times.indices.map { (48..<168).contains($0) ? 5.0 : 0.5 }
        #expect(NeighbourFaultDetector.rateOfChange(times: times, values: station, reference: neighbour, scale: .ratio,
                                                    limitPerHour: log(8), fallsOnly: true).isEmpty)
    }

    @Test("a 4-hourly station writing an hour late for a day is off its schedule; one late resend is not")
    func offSchedule() {
        var times = (0..<60).map { hour(Double($0 * 4)) }
        for index in 20..<26 { times[index] = times[index].addingTimeInterval(3600) }
        times[40] = times[40].addingTimeInterval(3600)
        let found = NeighbourFaultDetector.offScheduleClock(times: times)
        #expect(found.map(\.start) == [hour(81)])
        #expect(found.first?.end == hour(101))
        #expect(found.first?.value == 1)
    }
}
