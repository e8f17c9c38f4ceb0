import Accelerator
import Foundation

/// Shows a study's progress on stderr: redrawn in place on a terminal, and as a plain line
/// at most every 10 seconds otherwise, so logs stay short.
final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let start = Date()
    /// Trials planned in all: the first plan of every point, raised whenever an adaptive
    /// point adds trials.
    private var totalTrials: Int
    /// The trial count each point last reported, by grid point index.
    private var pointTrials: [Int: Int] = [:]
    private var trialsDone = 0
    private var lastLine = Date.distantPast
    private let interactive = isatty(2) == 1
    private let quiet: Bool

    init(totalTrials: Int, quiet: Bool) {
        self.totalTrials = totalTrials
        self.quiet = quiet
    }

    func trialFinished(_ progress: StudyProgress) {
        lock.lock()
        defer { lock.unlock() }
        count(progress)
        guard !quiet else { return }
        let now = Date()
        let pointDone = progress.trialsDone == progress.trialCount
        guard interactive || pointDone && now.timeIntervalSince(lastLine) >= 10 || trialsDone == totalTrials else {
            return
        }
        lastLine = now
        let elapsed = now.timeIntervalSince(start)
        let remaining = remainingSeconds(elapsed: elapsed)
        let p = progress.point
        let wires = p.wires.isIdeal ? "" : ", wires: " + FarCornerReport.wiresText(p.wires) + " ohms"
        let converters = ", DAC \(p.dacResolution), ADC \(p.adcResolution) \(p.adcRange.rawValue)"
        let line = String(format: "point %d/%d (levels %@, variation %.3g %%, Gmax/Gmin %.4g, tile %@%@%@): trial %d/%d, elapsed %@, remaining ~%@",
                          progress.pointsDone + 1, progress.pointCount, p.levels.description, p.variation * 100,
                          p.dynamicRange, "\(p.tile.rows)x\(p.tile.columns)", converters, wires, progress.trialsDone, progress.trialCount,
                          Self.duration(elapsed), Self.duration(remaining))
        FileHandle.standardError.write(Data((interactive ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    /// Counts one finished trial, and the trials an adaptive point added since its last report.
    func count(_ progress: StudyProgress) {
        trialsDone += 1
        let previous = pointTrials[progress.point.index] ?? progress.trialCount
        totalTrials += progress.trialCount - previous
        pointTrials[progress.point.index] = progress.trialCount
    }

    /// Estimates the time left from the mean time per finished trial, never below 0.
    func remainingSeconds(elapsed: Double) -> Double {
        elapsed / Double(max(trialsDone, 1)) * Double(max(0, totalTrials - trialsDone))
    }

    func finish() {
        if interactive && !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600) h \(s % 3600 / 60) min" : s >= 60 ? "\(s / 60) min \(s % 60) s" : "\(s) s"
    }
}

/// Progress of a running study, reported after every finished trial.
struct StudyProgress: Sendable {
    var pointsDone: Int
    var pointCount: Int
    var point: GridPoint
    var trialsDone: Int
    var trialCount: Int
}
