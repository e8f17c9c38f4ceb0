import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a flag the study checks between trials, so running
/// trials finish, the journal stays whole, and the command can say how to resume.
final class Interruption: @unchecked Sendable {
    static let shared = Interruption()
    private let lock = NSLock()
    private var signalName: String?
    private var sources: [DispatchSourceSignal] = []

    var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return signalName != nil
    }

    var receivedSignal: String? {
        lock.lock()
        defer { lock.unlock() }
        return signalName
    }

    func install() {
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                lock.lock()
                let first = signalName == nil
                signalName = signalName ?? name
                lock.unlock()
                if first { log("\n\(name) received: finishing the trials under way, then stopping") }
            }
            source.resume()
            sources.append(source)
        }
    }
}
