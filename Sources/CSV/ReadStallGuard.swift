import Foundation
import Synchronization

/// Bounds how long one open or read of an input file may block.
///
/// A read from a hung network mount or a failing disk can block forever, and a run from cron that never ends
/// holds its lock, so no later run ever ingests again. A watcher thread looks once a second at the read in
/// progress (there is at most one at a time per thread; the process reads one file at a time). When one has
/// lasted longer than ``limitSeconds``, ``onStall`` is called with the path; the command line prints the file
/// and exits (a transaction that was open is rolled back by SQLite, so the store stays as it was).
public final class ReadStallGuard: Sendable {
    /// The guard every ``InputFile`` reports to.
    public static let shared = ReadStallGuard()

    private struct State {
        var limitSeconds: Double = 0
        var onStall: (@Sendable (_ path: String, _ seconds: Double) -> Void)?
        /// Reads in progress: token → (path, when it began).
        var reads: [Int: (path: String, began: ContinuousClock.Instant)] = [:]
        var nextToken = 0
        var watcherStarted = false
    }

    private let state = Mutex(State())

    /// Sets the longest a single open or read may block (0 turns the guard off) and what to do then.
    public func configure(limitSeconds: Double, onStall: @escaping @Sendable (_ path: String, _ seconds: Double) -> Void) {
        let startWatcher = state.withLock { state -> Bool in
            state.limitSeconds = limitSeconds
            state.onStall = onStall
            defer { state.watcherStarted = state.watcherStarted || limitSeconds > 0 }
            return !state.watcherStarted && limitSeconds > 0
        }
        guard startWatcher else { return }
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 1)
                checkOnce(now: .now)
            }
        }
        thread.name = "rivertrace read-stall guard"
        thread.start()
    }

    /// Runs `body` (one blocking open or read of `path`) under the guard.
    func watch<Result>(_ path: String, _ body: () throws -> Result) throws -> Result {
        let token = state.withLock { state -> Int? in
            guard state.limitSeconds > 0 else { return nil }
            state.nextToken += 1
            state.reads[state.nextToken] = (path, .now)
            return state.nextToken
        }
        defer {
            if let token { state.withLock { _ = $0.reads.removeValue(forKey: token) } }
        }
        return try body()
    }

    /// Calls the stall handler for a read that began more than the limit before `now`; returns its path.
    @discardableResult
    func checkOnce(now: ContinuousClock.Instant) -> String? {
        let stalled = state.withLock { state -> (String, Double, @Sendable (String, Double) -> Void)? in
            guard state.limitSeconds > 0, let onStall = state.onStall else { return nil }
            for read in state.reads.values {
                let elapsed = now - read.began
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                if seconds > state.limitSeconds { return (read.path, seconds, onStall) }
            }
            return nil
        }
        guard let (path, seconds, onStall) = stalled else { return nil }
        onStall(path, seconds)
        return path
    }
}
