import Foundation
import Synchronization

/// Work started on another thread while the caller goes on with its own: reading the trends or the comparisons while
/// the period is analysed. Not a `concurrentPerform` of the two: one nested inside another runs its iterations one by
/// one, and the analysis's months would lose the second core. A thread of its own, not one of Dispatch's global pool:
/// the work may wait (for the store, or for readings still being read), and a pool as wide as the cores, its threads
/// waiting, would hold back the next piece of work until one of them finished.
///
/// Never start a `concurrentPerform` from its work: under load (eight analyses at once in the tests) that aborted the
/// process in glibc's `tcache_thread_shutdown` (heap corruption at a worker's exit); the calling thread runs them.
final class Background<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)
    private let group = DispatchGroup()

    init(_ work: @escaping @Sendable () throws -> Value) {
        group.enter()
        let thread = Thread { [self] in
            let outcome = Result { try work() }
            result.withLock { $0 = outcome }
            group.leave()
        }
        // The analysis's recursion is shallow, but a secondary thread's default stack is small on some systems.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the work to finish.
    func wait() {
        group.wait()
    }

    /// The work's value once it has finished; rethrows its error.
    func value() throws -> Value {
        group.wait()
        return try result.withLock { $0! }.get()
    }
}
