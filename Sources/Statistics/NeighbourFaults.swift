import Foundation

/// How a station's readings are compared with a reference: by ratio (concentrations, whose changes with rain,
/// season and dilution are multiplicative) or by difference (pH, temperature, redox potential).
public enum DivergenceScale: Sendable {
    case ratio
    case difference

    /// The divergence of `value` from `reference` on this scale (natural log of the ratio, or the difference).
    public func divergence(_ value: Double, from reference: Double) -> Double {
        switch self {
        case .ratio: log(max(value, 1e-6)) - log(max(reference, 1e-6))
        case .difference: value - reference
        }
    }
}

/// Sensor faults that only show against other stations: a slow drift, a shifted clock, a jump the water does not
/// make. Each function takes one station's series (time order) and a reference on the same times — a neighbouring
/// station, or the median of the district's other stations (`referenceSeries`) — and returns values, no I/O.
///
/// What the water does, every station sees: rain raises turbidity everywhere at once, a pollution pulse travels
/// downstream. Comparing with the reference takes those out; what remains is the sensor.
public enum NeighbourFaultDetector {
    /// The reference for one station: at each of `times`, the median of the other stations' readings at that time,
    /// each first put on a common footing (divided by, or less, its own median) so stations at different levels
    /// can share one reference.
    /// - Parameter others: each other station's readings by time.
    /// - Returns: one value per time, nil where no other station has a reading.
    public static func referenceSeries(at times: [Date], others: [[Date: Double]], scale: DivergenceScale) -> [Double?] {
        let normalised: [[Date: Double]] = others.compactMap { series in
            guard !series.isEmpty else { return nil }
            let centre = median(Array(series.values))
            switch scale {
            case .ratio:
                guard centre > 0 else { return nil }
                return series.mapValues { $0 / centre }
            case .difference:
                return series.mapValues { $0 - centre }
            }
        }
        return times.map { time in
            let values = normalised.compactMap { $0[time] }
            return values.isEmpty ? nil : median(values)
        }
    }

    /// `referenceSeries` for every station of a district at once: for each station, on its own times, the median of
    /// the other stations' normalised readings. Each time's readings are sorted once and each station's median
    /// leaves its own reading out by position, so a year of 33 hourly stations takes a fraction of a second.
    /// - Parameter stations: each station's readings in time order.
    public static func referenceSeries(for stations: [(times: [Date], values: [Double])],
                                       scale: DivergenceScale) -> [[Double?]] {
        // Every station's readings as (time, normalised value, station, position), sorted by time then value: each
        // time's column is then one run of the array, in value order. No dictionary keyed by time, no array per time.
        typealias Entry = (time: Date, value: Double, station: Int, position: Int)
        var entries: [Entry] = []
        entries.reserveCapacity(stations.reduce(0) { $0 + $1.values.count })
        // A station that cannot be normalised (a ratio to a median ≤ 0) adds nothing, but gets the others' median.
        var unnormalised: [Int] = []
        for (index, station) in stations.enumerated() where !station.values.isEmpty {
            let centre = median(station.values)
            if scale == .ratio && centre <= 0 { unnormalised.append(index); continue }
            for (position, (time, value)) in zip(station.times, station.values).enumerated() {
                entries.append((time, scale == .ratio ? value / centre : value - centre, index, position))
            }
        }
        entries.sort { ($0.time, $0.value) < ($1.time, $1.value) }
        var result = stations.map { [Double?](repeating: nil, count: $0.times.count) }
        var columns: [Date: Range<Int>] = [:]
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count, entries[end].time == entries[start].time { end += 1 }
            let column = entries[start..<end]
            if !unnormalised.isEmpty { columns[entries[start].time] = start..<end }
            for (rank, entry) in column.enumerated() {
                // The others' median: the column's order statistics with this station's own entry skipped.
                let count = column.count - 1
                guard count > 0 else { continue }
                func others(_ wanted: Int) -> Double { column[start + (wanted >= rank ? wanted + 1 : wanted)].value }
                result[entry.station][entry.position] = count % 2 == 1
                    ? others(count / 2) : (others(count / 2 - 1) + others(count / 2)) / 2
            }
            start = end
        }
        for index in unnormalised {
            for (position, time) in stations[index].times.enumerated() {
                guard let column = columns[time] else { continue }
                let middle = column.lowerBound + column.count / 2
                result[index][position] = column.count % 2 == 1
                    ? entries[middle].value : (entries[middle - 1].value + entries[middle].value) / 2
            }
        }
        return result
    }

    // MARK: - Drift

    /// Finds slow drifts: the divergence from the reference grows steadily (a ramp) from a quiet baseline.
    ///
    /// The divergence is taken in 6-hour block medians (spikes and short pulses do not move a median), and every
    /// window of 66 h to 16 days is fitted with a ramp from the baseline of the two days before it. A window is a
    /// drift when the ramp's total change exceeds `minimumChange`, eight times the step noise of the block medians
    /// and five times their slow wander (spread around an 8-day running median), the ramp fits within three noise
    /// units (or a fifth of its change), and a step at the best place in the window fits clearly worse (SSE at
    /// least 1.5 × the ramp's): a pollution event arrives as a front and leaves as one, a fouled or drifting sensor
    /// creeps.
    /// - Parameters:
    ///   - reference: the reference on `times` (nil where there is none).
    ///   - minimumChange: the smallest total divergence counted as a drift, on `scale` (log 1.25: 25 % for ratios).
    /// - Returns: drifts from the hour the ramp leaves the baseline to the last reading on it; `value` is the
    ///   divergence reached (relative to the baseline for ratios: 0.6 is 60 % above it).
    public static func drifts(times: [Date], values: [Double], reference: [Double?], scale: DivergenceScale,
                              minimumChange: Double) -> [DetectedFault] {
        precondition(times.count == values.count && times.count == reference.count, "one time per value")
        guard let first = times.first else { return [] }
        let blockSeconds = 6.0 * 3600
        // Ratios are fitted as ratios, not logs: a drifting sensor adds level × rate × days, a straight line in the
        // ratio that the log would bend (and a bent ramp fits best starting too early).
        let relative = scale == .ratio
        // Block medians of the divergence, each block's members gathered in one reused buffer (times ascend, so a
        // block's readings are consecutive).
        var blocks: [(index: Int, last: Date)] = []
        var y: [Double] = []
        var members: [Double] = []
        func closeBlock() {
            guard !members.isEmpty else { return }
            let middle = SensSlope.median(reordering: &members)
            y.append(relative ? exp(middle) : middle)
            members.removeAll(keepingCapacity: true)
        }
        for (i, time) in times.enumerated() {
            guard let ref = reference[i] else { continue }
            let index = Int((time.timeIntervalSince(first) / blockSeconds).rounded(.down))
            let d = scale.divergence(values[i], from: ref)
            if blocks.last?.index == index {
                blocks[blocks.count - 1].last = time
            } else {
                closeBlock()
                blocks.append((index, time))
            }
            members.append(d)
        }
        closeBlock()
        let n = blocks.count
        guard n >= 16 else { return [] }
        let minimumRise = relative ? exp(minimumChange) - 1 : minimumChange
        // Block position in days from the first block's start: gaps keep their length.
        let t = blocks.map { Double($0.index) / 4 }
        let level = relative ? y.map { log($0) } : y
        let steps = zip(level, level.dropFirst()).map { abs($1 - $0) }
        let floor = relative ? 0.01 : minimumChange / 10
        let noise = max(1.4826 * median(steps) / 2.0.squareRoot(), floor)
        // Sensor noise is not white: it wanders over days, which block-to-block steps do not see. Its size is the
        // spread of the blocks around their own 8-day running median.
        let wander = 1.4826 * median(zip(level, SortedWindow.centredMedians(level, halfWidth: 16)).map { abs($0 - $1) })

        // Prefix sums make each window's least-squares fit O(1).
        var sy = [0.0], sy2 = [0.0], st = [0.0], st2 = [0.0], sty = [0.0]
        for j in 0..<n {
            sy.append(sy[j] + y[j]); sy2.append(sy2[j] + y[j] * y[j])
            st.append(st[j] + t[j]); st2.append(st2[j] + t[j] * t[j]); sty.append(sty[j] + t[j] * y[j])
        }
        struct Candidate { var start: Int; var length: Int; var gain: Double; var baseline: Double; var slope: Double }
        var candidates: [Candidate] = []
        let before = 8, shortest = 11, longest = 64
        // The baseline's blocks slide along with the start: one sorted window, not an array per start.
        var baselineWindow = SortedWindow(capacity: before + 1)
        let finite = !y.contains { $0.isNaN }
        for s in before..<n {
            let baseline: Double
            if finite {
                if s == before {
                    for j in 0..<before { baselineWindow.insert(y[j]) }
                } else {
                    baselineWindow.remove(y[s - before - 1])
                    baselineWindow.insert(y[s - 1])
                }
                baseline = baselineWindow.median
            } else {
                baseline = median(Array(y[(s - before)..<s]))
            }
            // Ratios are measured against the baseline: 0.3 is 30 % above it.
            let norm = relative ? baseline : 1
            // The ramp starts at its first block's start.
            let origin = t[s]
            var best: Candidate?
            for length in shortest...longest {
                let e = s + length
                guard e <= n else { break }
                let L = Double(length)
                let Sy = sy[e] - sy[s], Sy2 = sy2[e] - sy2[s], St = st[e] - st[s], St2 = st2[e] - st2[s]
                let Sty = sty[e] - sty[s]
                // z = y − baseline, u = t − origin + 1/8 day (mid-block).
                let o = origin - 0.125
                let Suu = St2 - 2 * o * St + L * o * o
                let Suz = Sty - baseline * St - o * Sy + o * baseline * L
                let Szz = Sy2 - 2 * baseline * Sy + L * baseline * baseline
                guard Suu > 0 else { continue }
                let slope = Suz / Suu / norm
                let gain = Suz * Suz / Suu / (norm * norm)
                let rise = slope * (t[e - 1] - o)
                let residual = max(0, Szz / (norm * norm) - gain) / L
                guard abs(rise) >= max(minimumRise, 8 * noise, 5 * wander),
                      residual.squareRoot() <= max(3 * noise, 0.2 * abs(rise)) else { continue }
                if gain > (best?.gain ?? 0) {
                    best = Candidate(start: s, length: length, gain: gain, baseline: baseline, slope: slope)
                }
            }
            if let best { candidates.append(best) }
        }
        candidates.sort { $0.gain > $1.gain }

        var accepted: [Candidate] = []
        for candidate in candidates.prefix(2_000) {
            let range = candidate.start..<(candidate.start + candidate.length)
            guard !accepted.contains(where: { ($0.start..<($0.start + $0.length)).overlaps(range) }) else { continue }
            let norm = relative ? candidate.baseline : 1
            let z = range.map { (y[$0] - candidate.baseline) / norm }
            let o = t[candidate.start] - 0.125
            let rampSSE = range.enumerated().reduce(0.0) { sum, item in
                let fitted = candidate.slope * (t[item.element] - o)
                return sum + (z[item.offset] - fitted) * (z[item.offset] - fitted)
            }
            // The best step: baseline before, one level after.
            var bestStep = Double.infinity
            var suffix = z.reduce(0, +), suffix2 = z.reduce(0) { $0 + $1 * $1 }, prefix2 = 0.0
            for c in 0..<z.count {
                let count = Double(z.count - c)
                bestStep = min(bestStep, prefix2 + suffix2 - suffix * suffix / count)
                prefix2 += z[c] * z[c]; suffix -= z[c]; suffix2 -= z[c] * z[c]
            }
            let floorSSE = Double(z.count) * noise * noise
            guard bestStep >= 1.5 * max(rampSSE, floorSSE) else { continue }
            accepted.append(candidate)
        }

        return accepted.map { candidate in
            let end = candidate.start + candidate.length
            let origin = refinedOrigin(t: t, y: y, from: max(0, candidate.start - before), end: end,
                                       guess: t[candidate.start], baseline: candidate.baseline,
                                       norm: relative ? candidate.baseline : 1)
            let start = first.addingTimeInterval(origin.days * 86_400)
            let last = blocks[end - 1].last
            let rise = origin.slope * last.timeIntervalSince(start) / 86_400
            return DetectedFault(kind: .drift, start: start, end: last, value: rise)
        }.sorted { $0.start < $1.start }
    }

    /// Where the ramp leaves the baseline: the hour within the blocks `from..<end` whose hinge (baseline, then a
    /// line) fits their medians best. The window search above prefers long windows, which can start days early;
    /// the hinge decides the start on its own.
    private static func refinedOrigin(t: [Double], y: [Double], from: Int, end: Int, guess: Double,
                                      baseline: Double, norm: Double) -> (days: Double, slope: Double) {
        var best = (days: guess, slope: 0.0, sse: Double.infinity)
        let earliest = Int(((t[from] - guess) * 24).rounded(.down)), latest = Int(((t[end - 1] - guess) * 24).rounded(.up))
        for hour in earliest...max(earliest, latest) {
            let origin = guess + Double(hour) / 24
            var suu = 0.0, suz = 0.0, szz = 0.0
            for j in from..<end {
                // Block medians stand for the block's middle.
                let u = max(0, t[j] + 0.125 - origin), z = (y[j] - baseline) / norm
                suu += u * u; suz += u * z; szz += z * z
            }
            guard suu > 0 else { continue }
            let sse = szz - suz * suz / suu
            if sse < best.sse { best = (origin, suz / suu, sse) }
        }
        return (best.days, best.slope)
    }

    /// How far a station's divergence from its reference moved over `start`…`end`: the median of its last day less
    /// the median of the two days before `start`; nil without readings in either. A drift found at one station
    /// that others show too (`drifts` sees one station at a time) is water: rain, a discharge travelling down.
    public static func divergenceChange(times: [Date], values: [Double], reference: [Double?], scale: DivergenceScale,
                                        start: Date, end: Date) -> Double? {
        var before: [Double] = [], last: [Double] = []
        let baselineFrom = start.addingTimeInterval(-48 * 3600), lastFrom = end.addingTimeInterval(-24 * 3600)
        for (i, time) in times.enumerated() where time >= baselineFrom && time <= end {
            guard let ref = reference[i] else { continue }
            let d = scale.divergence(values[i], from: ref)
            if time < start { before.append(d) } else if time >= lastFrom { last.append(d) }
        }
        guard !before.isEmpty, !last.isEmpty else { return nil }
        return median(last) - median(before)
    }

    // MARK: - Clock offset

    /// Finds a station clock that jumped forward: a reading is missing (the hour the clock skipped) and from there
    /// the station's day cycle runs late against the reference by the length of the skip.
    ///
    /// A station labelling the water of hour t as t + δ reads x(t) ≈ r(t) − δ·r′(t) against an in-phase reference r.
    /// Each channel's divergence from its reference is taken less its centred 24-hour mean (the day cycle averages
    /// out, slow offsets go) and regressed on the reference's slope; the station's own constant phase difference
    /// (shade, depth) is estimated over the whole series and taken out. After a skip of δ, the gain in fit of
    /// "late by δ" over "on time" is summed reading by reading; the offset ends where that sum peaks. It is reported
    /// when the gain is at least `minimumGain` (with no shift the gain is −b + 2√b·Z for b = Σ w·g², so 16 needs
    /// Z ≥ 4 whatever b), the window is at
    /// least 6 h, and the lag estimated freely on it is within half a skip of δ.
    ///
    /// Only forward jumps that skip a label are looked for: without the missing reading, a 1-hour phase change over
    /// a day or two is within what clouds and flow do to the day cycle, and searching everywhere would raise false
    /// alarms. A clock jumping back writes two readings on one label, which ingest keeps as a conflict.
    /// - Parameters:
    ///   - channels: the station's series with a day cycle (temperature, DO, pH), each on `times` (nil: missing).
    ///   - references: for each channel, the reference on `times`.
    public static func clockOffsets(times: [Date], channels: [[Double?]], references: [[Double?]],
                                    interval: TimeInterval? = nil, minimumGain: Double = 16) -> [DetectedFault] {
        precondition(channels.count == references.count, "one reference per channel")
        let n = times.count
        guard n >= 48 else { return [] }
        let step = interval ?? SensorFaultDetector.typicalInterval(times)
        let hours = times.map { $0.timeIntervalSince(times[0]) / 3600 }
        // Per reading, the sums a = Σ w·r·g and b = Σ w·g² over channels.
        var a = [Double](repeating: 0, count: n), b = [Double](repeating: 0, count: n)
        var usable = 0
        for (channel, reference) in zip(channels, references) {
            precondition(channel.count == n && reference.count == n, "one value per time")
            var d = [Double?](repeating: nil, count: n)
            for i in 0..<n { if let x = channel[i], let r = reference[i] { d[i] = x - r } }
            // Centred 24-hour mean of d.
            var prefix = [0.0], counts = [0]
            for i in 0..<n { prefix.append(prefix[i] + (d[i] ?? 0)); counts.append(counts[i] + (d[i] == nil ? 0 : 1)) }
            var lo = 0, hi = 0
            var highPassed = [Double?](repeating: nil, count: n)
            var slope = [Double?](repeating: nil, count: n)
            for i in 0..<n {
                while hours[lo] < hours[i] - 12 { lo += 1 }
                while hi < n && hours[hi] <= hours[i] + 12 { hi += 1 }
                let count = counts[hi] - counts[lo]
                if let di = d[i], count >= 12 { highPassed[i] = di - (prefix[hi] - prefix[lo]) / Double(count) }
                if i > 0, i < n - 1, let before = reference[i - 1], let after = reference[i + 1] {
                    let span = hours[i + 1] - hours[i - 1]
                    if span <= 3 * step / 3600 + 1e-9 { slope[i] = (after - before) / span }
                }
            }
            var rg = [Double](repeating: 0, count: n), gg = [Double](repeating: 0, count: n)
            var residuals: [Double] = []
            for i in 0..<n { if let r = highPassed[i], let g = slope[i] { rg[i] = r * g; gg[i] = g * g; residuals.append(r) } }
            guard residuals.count >= 48 else { continue }
            let spread = 1.4826 * median(residuals.map(abs))
            guard spread > 0 else { continue }
            let weight = 1 / (spread * spread)
            // The station's own phase against the reference, over the whole series.
            let own = -rg.reduce(0, +) / max(gg.reduce(0, +), 1e-12)
            for i in 0..<n where gg[i] > 0 {
                // r + own·g is what is left once the constant phase is taken out.
                let rgAdjusted = rg[i] + own * gg[i]
                a[i] += weight * rgAdjusted
                b[i] += weight * gg[i]
            }
            usable += 1
        }
        guard usable > 0 else { return [] }

        var found: [DetectedFault] = []
        var i = 1
        while i < n {
            let gap = times[i].timeIntervalSince(times[i - 1])
            // One or two readings missing: the labels a forward jump of one or two intervals skips.
            guard gap > 1.5 * step, gap < 3.5 * step else { i += 1; continue }
            let delta = (gap - step) / 3600
            var cumulative = 0.0, bestGain = 0.0, bestEnd = i
            var sumA = 0.0, sumB = 0.0, bestA = 0.0, bestB = 0.0
            var k = i
            while k < n, hours[k] - hours[i] <= 72 {
                cumulative += -2 * delta * a[k] - delta * delta * b[k]
                sumA += a[k]; sumB += b[k]
                if cumulative > bestGain { bestGain = cumulative; bestEnd = k; bestA = sumA; bestB = sumB }
                k += 1
            }
            let lag = bestB > 0 ? -bestA / bestB : 0
            if bestGain >= minimumGain, hours[bestEnd] - hours[i] >= 6, abs(lag - delta) <= 0.5 * delta {
                found.append(DetectedFault(kind: .clockOffset, start: times[i - 1].addingTimeInterval(step),
                                           end: times[bestEnd], value: lag))
                i = bestEnd + 1
            } else {
                i += 1
            }
        }
        return found
    }

    /// Finds a clock shifted by less than the station's interval: three or more consecutive readings off the
    /// station's schedule by the same amount (a 4-hourly station writing at 01:00, 05:00… instead of 00:00,
    /// 04:00…). Runs of more than 7 days are a new schedule, not an offset; a lone off-schedule reading is a resend.
    /// - Returns: one clock offset per run; `value` is the shift in hours (positive: late labels).
    public static func offScheduleClock(times: [Date], interval: TimeInterval? = nil,
                                        minimumRun: Int = 3) -> [DetectedFault] {
        guard times.count >= 2 * minimumRun else { return [] }
        let step = interval ?? SensorFaultDetector.typicalInterval(times)
        guard step >= 60 else { return [] }
        // Phase on the schedule in whole minutes: sub-minute jitter is not a clock.
        let minutes = Int((step / 60).rounded())
        let phases = times.map { ((Int(($0.timeIntervalSince1970 / 60).rounded()) % minutes) + minutes) % minutes }
        var counts: [Int: Int] = [:]
        for phase in phases { counts[phase, default: 0] += 1 }
        guard let usual = counts.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key else { return [] }
        var found: [DetectedFault] = []
        var start = 0
        for index in 1...phases.count {
            let continues = index < phases.count && phases[index] == phases[start]
            if continues { continue }
            let length = index - start
            if phases[start] != usual, length >= minimumRun,
               times[index - 1].timeIntervalSince(times[start]) <= 7 * 86_400 {
                var shift = phases[start] - usual
                if shift > minutes / 2 { shift -= minutes }
                if shift < -minutes / 2 { shift += minutes }
                found.append(DetectedFault(kind: .clockOffset, start: times[start], end: times[index - 1],
                                           value: Double(shift) / 60))
            }
            start = index
        }
        return found
    }

    // MARK: - Rate of change

    /// Finds jumps between consecutive readings faster than the water can change, which the reference does not
    /// share and which do not come back: a sensor swapped, re-zeroed or knocked.
    ///
    /// A reading is flagged when the change from the previous one, per hour, exceeds `limitPerHour` (on `scale`:
    /// the natural log of the ratio for concentrations), the reference moves less than a quarter as much over the
    /// same readings, and for the next 6 hours the series does not come back even half way: a single odd reading is
    /// a spike, a pulse of 2–6 h that rises within an hour or two is water (a discharge passing the station). A jump
    /// that brings the series back to a level it had in the 12 days before is an episode ending (a sewage leak
    /// lasts up to 10 days). Readings more than two intervals apart are not compared.
    /// - Parameter fallsOnly: only falls count. A discharge can multiply a concentration within the hour at a
    ///   station below its outfall; only the end of one (a level seen before) or rain (which the others share)
    ///   divides it.
    public static func rateOfChange(times: [Date], values: [Double], reference: [Double?], scale: DivergenceScale,
                                    limitPerHour: Double, fallsOnly: Bool = false,
                                    interval: TimeInterval? = nil) -> [DetectedFault] {
        precondition(times.count == values.count && times.count == reference.count, "one time per value")
        guard values.count >= 3 else { return [] }
        let step = interval ?? SensorFaultDetector.typicalInterval(times)
        var found: [DetectedFault] = []
        for i in 1..<values.count {
            let seconds = times[i].timeIntervalSince(times[i - 1])
            guard seconds > 0, seconds <= 2 * step else { continue }
            let jump = scale.divergence(values[i], from: values[i - 1])
            guard abs(jump) / (seconds / 3600) > limitPerHour, !fallsOnly || jump < 0 else { continue }
            if let now = reference[i], let then = reference[i - 1],
               abs(scale.divergence(now, from: then)) >= 0.25 * abs(jump) { continue }
            // Back to where the series was in the days before: the end of an episode, not a jump of the sensor.
            let past = times[i].addingTimeInterval(-12 * 86_400)
            var earlier = i - 2
            var ending = false
            while earlier >= 0, times[earlier] >= past {
                if abs(scale.divergence(values[i], from: values[earlier])) < 0.5 * abs(jump) { ending = true; break }
                earlier -= 1
            }
            guard !ending else { continue }
            // Comes back at least half way within 6 h: a spike or a passing pulse, not a jump of the sensor.
            let horizon = times[i].addingTimeInterval(6 * 3600)
            var later = i + 1
            var returns = false
            var seen = false
            while later < values.count, times[later] <= horizon {
                seen = true
                if abs(scale.divergence(values[later], from: values[i - 1])) < 0.5 * abs(jump) { returns = true; break }
                later += 1
            }
            guard seen, !returns else { continue }
            found.append(DetectedFault(kind: .rateOfChange, start: times[i - 1], end: times[i], value: values[i]))
        }
        return found
    }

    private static func median(_ values: [Double]) -> Double { SensSlope.median(values) }
}
